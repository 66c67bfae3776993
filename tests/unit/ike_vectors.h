/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known-answer vectors for IKEv1 key derivation, taken from strongSwan
 * 5.9.8's charon (Debian 12) negotiating with another charon in two network
 * namespaces: tests/ike/vectors.sh ran the exchange with ike/chd/enc logging
 * at level 4 and tests/ike/vectors.py extracted the inputs (cookies, nonces,
 * public values, g^xy) and charon's results (SKEYID..., Ka, the initial IV,
 * the ESP keys) from the initiator's log. The PSK was
 * "kipsec test psk 0123456789". Regenerate with:
 *   tests/ike/vectors.sh DIR IKE ESP && tests/ike/vectors.py DIR/a/charon.log NAME
 */
struct ike_vector {
	const char *name;
	const char *icky, *rcky, *ni, *nr, *gxi, *gxr, *gxy;
	const char *skeyid, *skeyid_d, *skeyid_a, *skeyid_e, *ka, *iv;
	const char *qm_ni, *qm_nr, *enc_i, *enc_r, *int_i, *int_r, *gqm;
	uint32_t spi_i2r, spi_r2i;
};

static const struct ike_vector ike_vectors[] = {
	/* IKE aes128-sha256-modp2048, ESP aes128-sha256-modp2048: charon 5.9.8 (ike = aes128-sha256-modp2048, esp = aes128-sha256-modp2048), initiator side */
	{
		.name = "IKE aes128-sha256-modp2048, ESP aes128-sha256-modp2048",
		.icky = "1d1f125830c1575d",
		.rcky = "6222c81849c7cf9a",
		.ni = "1f34edf46ae58605edbbdf55d74dc0bb76a1fbfb07bede531f14440c28e7aa03",
		.nr = "9428d9ef6200d76edd557a8812a519fc54577533662fd2df4b517cc4e375167a",
		.gxi = "db4bb170908fb6c057574f7e8d38f60f082ee0cecd34cd85225e25473374bffd"
			"62edc4a203b93a52cd8f19ab795ba06222345e6905a49b5ccd78092d09e8bcf3"
			"e4275af1bafc9c940a7b9c7c8c8fa4eb574fc114835ed80a263f1a9b69810a1e"
			"e0fdf6577341fafa2f55fbf50db31d1c0e8799d3cd1ad2f282fd62070d81def9"
			"cf39be82698e651ccfaaab8ce0bb85b163779010dc923a15fd46f7daf4d28131"
			"b5c22d439f9ef311de6fd1d25b238fa59ac45bce309a0e023c1bad98c15fbc47"
			"5592cab3c88a4c5c08b4adf8ce9b90ced8c078e58e56ab4296d03e9336acfe01"
			"64f4efdc3b117b5a5721246c188d099eceebf95981f7ff3295b2ac3f13ffe38b",
		.gxr = "c50c41dc2077d5bf8f906a227fa370022915edfae6d566eb88b67dae3cc718cc"
			"6b85763a8b8ba37c75d97ebc90232e7eda7b9f5a707ebb66f10a80fd5061dbdd"
			"f128d9fe31e22658d6265eef4edbe4de1adbe042b020b73c2601638959a4d5be"
			"fe354e377ef956c3502fd0e8e17bf4d44a5196de9863d4dd16e93f9eabe56999"
			"83abfa6caa081c7c76b7718944c498c977f7cc747cc771e82cc68d860eca5958"
			"97977dec594ac69090fbbad785cdc786551228bdff67a60f1fb602ce93456605"
			"894e5a56dd0cb577baf9c7ba51128dbb82b0d684bf0f02dc1f0589360f1a1583"
			"b2885069548a5ce83bf486c6e27b9775e1514eb5b4b97d7089ed6d9cbfbdda88",
		.gxy = "b19341622d59fa7f5ffd3e981e5e97df00aadabffa04bfc4ef991b2f4fc7949b"
			"7a7745f2405a682f85f6a17a619854b48ee159b438e7661f84b301a1ba3d7dd4"
			"28fb70a7df7a6c7d62d3dc4985a86f6e8a52121f01e398199b08fc310f512c5d"
			"a2df0e90403ea11dbfa4be7d849d5d3a56b0c870fae9920b03bf3451624d8650"
			"f44f088f4ae160b5573e16eb3920fcb8c1b73ab19733d76bf27d657ab38ad67e"
			"b4ae5dc32cedfecb19a210558122ab19693529c5f9f0fb09ae1f0219a2c2f8a1"
			"e546b68489ed74d8f660609dbdf91b87021092a12dcdbfe2f393d09e1db63fe0"
			"4c2a1f53f550348b3b62ef92b08db6d9c782215f6b74f82b494553c15cb11c47",
		.skeyid = "e397e76a32cddccbaf58d9043714b357de2ec7d664726bd0c5d1d1419cfd03d1",
		.skeyid_d = "4e1580b83a7c55dca4aef0cf74038c9b5f1abcbc17aac7843b0f6f54613abdae",
		.skeyid_a = "74d3e672ad48ad59eb9cfcc8c084fd611c6dffa9a4f6857502e57e3b910cadb2",
		.skeyid_e = "e08386c9e611804a8e086776827052383af4e8386f9a9eaa06da5043d139f4ce",
		.ka = "e08386c9e611804a8e08677682705238",
		.iv = "8b392ffbb0ba8b4c88195ee5e363f8d8",
		.qm_ni = "708c5f55619412877e87532d0d641bf0011469c24f5aa14b51f932ba477ccee0",
		.qm_nr = "a749c0eb497a9efd199c43acd9d53df22b684c2ad880e8056a6fdf46a12095c3",
		.enc_i = "5fd8e50f5ce6d5789bb6f9248d1de2bd",
		.enc_r = "2b24a0fb4cf6d60a5b49f8dab82be3dd",
		.int_i = "295ff39b40020625663c3e935c3d106647fab07ccb1ef6393aed5df7d8a857ac",
		.int_r = "1a211a9d26ba6cbcb47ab4b479bfef15dd3673dda1bc760f99bff5d555da0781",
		.gqm = "18e00a238e1b51c10392760a82995f446ca7f9d119864f5bb3bcada3657ad460"
			"57eac6a82da778258a7d955099aeef7885eb2c7db7e0dc00b462f9906ea7397c"
			"b19827a220183345162c4cc3ee21c0afb50f3087225ee77629963f98f1d67d16"
			"47f94d1b5e5403f820ff346912fddb9598a9009e92baa19468318401d6fe89da"
			"5ebe69708d42491d88c1171c53b30f04764acf8078da532944d515845a6e6ad7"
			"e830dc825f396ebeb3fc38bdbd51e46297bec5c143fcb38085309857f1d082f3"
			"fed46e69d7e3f9b2442fd3677f7ed51109e5c5f1c4e1f003c2892e8c4d5c8e31"
			"c6aa2f48d5ad1360ad74215aa18b5a1cd0a569db3579c3bab0a038bca23d839e",
		.spi_i2r = 0xf8144871,
		.spi_r2i = 0xf9a7bd15,
	},
	/* IKE 3des-sha1-modp1024, ESP 3des-sha1: charon 5.9.8 (3DES key extension, KEYMAT expansion, no PFS), initiator side */
	{
		.name = "IKE 3des-sha1-modp1024, ESP 3des-sha1",
		.icky = "7a1e20c47cf782bf",
		.rcky = "c49d0a55adf98224",
		.ni = "b44503a226ef6dcafa0d88cd5c99481ce9d8f1301c29a94e8143b0d800cb81f1",
		.nr = "d3deb57db27a37a54db6ff1d0776f73cd6a9001ba228f9b53a013b2aaa60ed14",
		.gxi = "ec6686b0788a1761824c3e8ba1a9be125659320098d8a8db964a533b07855801"
			"9ef6d40fdd06d1a07cb8ee3c33511deb4983a57b80b3aae1be7339c23439405a"
			"b8ff61fa29fd6872d6bc38168afe71ab0d771de184f8a93a51fb18096a131318"
			"3acf26f95d5b5dcedf71adc302aa7b79f7b17668b30436b3902db7d39a1674cd",
		.gxr = "03dc6e4461f0ef819ccfefb7e1a7b635e1f9009fb08125521ac65c8d036e0668"
			"2cc553024605e5865e6eb6f000144ddede2766349e869ce5f33b82a7a8a7ebe4"
			"c9143b91e5605418049cddea23451e1a4077e221f883bd3acd3ca92af2353c25"
			"78e55c768921c2506ce1397e39879601b563ce897ccf94d20b1bbf76ab19ce7a",
		.gxy = "49f5b592833092d317621d32e8a11b6ce951757617a06ce084e344fe5e3c016c"
			"a429f1a056ead681330c4224e9ab4d4acbd399f332f9101bd2a10b9183b286e8"
			"d6b0a01070caa0319a60ac99dc6bc4f899f486b9c11d14a610ee4bfe798b5ea3"
			"d982100cdd4c3c9a627b2a0176632b6cbafb9696c06b800ecb4a2f4c18bba59f",
		.skeyid = "079ccbbea26214c22e7c798db1446a54cb071641",
		.skeyid_d = "9daf4f63352152ce9159923e2bc812024e267957",
		.skeyid_a = "4cc7fb42dcbee856ea3b020ade98507a18f8e412",
		.skeyid_e = "870dfeac4545e2cfcf28677000c89a61da7dde72",
		.ka = "d779c5556999a7959413f7ca43bd5ebdec6d99d09ee1b21b",
		.iv = "cfe366a005e51afe",
		.qm_ni = "cb66f78c7389657a5db72b12805e7230256875cbce436f314dc33a945ac59020",
		.qm_nr = "ffd02f39fa5ddf91c14234d4fed469fc8fc1c465a5e34af82fb0c84dfd09fc41",
		.enc_i = "75de0f0a1be557d4bfc5688caf2a3890f7badcc3061fe42b",
		.enc_r = "1cf06a899a9609f70cf3d065e4146c89c508424c4bc73f38",
		.int_i = "affc965eb811d824d521fbbeab2152da3b92e421",
		.int_r = "ab33aeb2c3849add2663b50f276a134e0e04dfd2",
		.gqm = "",
		.spi_i2r = 0x7212da10,
		.spi_r2i = 0xf2b9ffa4,
	},
	/* IKE aes256-sha384-ecp256, ESP aes256gcm16-curve25519: charon 5.9.8 (ECP-256 phase 1, GCM key + salt, Curve25519 PFS), initiator side */
	{
		.name = "IKE aes256-sha384-ecp256, ESP aes256gcm16-curve25519",
		.icky = "e65b5c60504edae0",
		.rcky = "4f33ba00b5fb4da2",
		.ni = "53cb0c4ba68f30c8fa0d288d42399e8697985eaffe0734aa00eea987cef37249",
		.nr = "c8a64cc7d1957eda8f382dfe57952bfb18456d1c26cd07c2409779eae95817e5",
		.gxi = "cf17e9777e6a46414db3ab67d78d735fec93630e8f9015a997f24f6160834f38"
			"ddca6d3c9f3da4446b44687f015fc969b1b88692f3e18d4891cde7e98c76bd94",
		.gxr = "ddcb99573077ca129ec5bb1a0482dc3e8788ff74c7c5f05e99a9edf7e64a4de2"
			"46399011783f9233425ffa498e89f5908a8989ee82749fbb71a0053107a2e3a6",
		.gxy = "d491282ba224208b3d454231e73d85d547c7a1f160cad5941d704066c9b0dc90",
		.skeyid = "cf4cbc34a8ac764f5d56bbb2af16d7d52c1560729c094a4d9f084d4e8c3afc7b"
			"ad614561db8af1d6e20f8d1f4b43f7e0",
		.skeyid_d = "20d1dbb9cc95b40c5d092f4a156f0cf1780100443bb2a8bd921ac59355e4c8a3"
			"17f5bde6b15000463a518528c054921d",
		.skeyid_a = "0646a60cf83666917c6309aad6bef6f8ab343e618398d896688674f6e42ef9b7"
			"beb083a5784fd0f819b4f8c5a856a6c9",
		.skeyid_e = "df65671e930a71ed890d5bce45c86e520a0389871942ecea5cf8f0ab047f3528"
			"c5162e77437712c8f161504feef547e9",
		.ka = "df65671e930a71ed890d5bce45c86e520a0389871942ecea5cf8f0ab047f3528",
		.iv = "6a4525093442251a305f45969923668d",
		.qm_ni = "62b741aa85fa6064fa744a7ae98030750ec61981325f33c3ef8d7a3c2e691ced",
		.qm_nr = "aabf1e2ccaa219fba980afc2343fc6869a595a7b7b0c6a2a523fd4fe104a4c2f",
		.enc_i = "1b75fae59ec311fa9479953703cacd5455c1318a77e2b68a3671793e47868cfa"
			"f1ea9244",
		.enc_r = "f6296374280e6e5dfd85b9e2b5b2076a5d07d61d0976c44cc8bb2ec56a35ad30"
			"d4d18d79",
		.int_i = "",
		.int_r = "",
		.gqm = "1d52c23f6cf94cbc19826e6a7b5e0da9b6ee490c81d8780e3cae74d065c7172a",
		.spi_i2r = 0x374974b6,
		.spi_r2i = 0x6e7e2d78,
	},
};
