#!/usr/bin/env python3
# Turn the initiator's charon log from tests/ike/vectors.sh (ike/chd/enc at
# level 4) into the known-answer vector of tests/unit/test_keymat.c: inputs
# (cookies, nonces, g^x, g^xy, SPIs) and charon's own results (SKEYID...,
# the phase-1 key and IV, the ESP keys). Usage: vectors.py charon.log NAME
import re
import sys

line_re = re.compile(r'^\d\d\[(\w+)\] (.*)$')
dump_re = re.compile(r'^\s*(\d+): ((?:[0-9A-F]{2} ?)+)')


def parse(path):
    """Events (text, bytes-or-None) with each '=> N bytes' dump attached."""
    ev = []
    lines = open(path, errors='replace').read().splitlines()
    i = 0
    while i < len(lines):
        m = line_re.match(lines[i])
        i += 1
        if not m:
            continue
        text = m.group(2)
        data = None
        mb = re.search(r'=> (\d+) bytes', text)
        detached = mb and text.lstrip().startswith('=>')
        if mb:
            n = int(mb.group(1))
            data = b''
            while len(data) < n and i < len(lines):
                md = line_re.match(lines[i])
                dd = dump_re.match(md.group(2)) if md else None
                if not dd:
                    break
                data += bytes.fromhex(dd.group(2).replace(' ', ''))
                i += 1
        if detached and ev:
            ev[-1] = (ev[-1][0], data)
            continue
        ev.append((text, data))
    return ev


def payload_chunks(ev, verb, ptype):
    """Data of every CHUNK_DATA rule inside payloads of ptype, in order."""
    out, cur = [], None
    for text, data in ev:
        m = re.match(r'(generating|starting parsing a|parsing) (?:payload of type )?(\w+)', text)
        if text.startswith('generating payload of type'):
            cur = ('generating', text.split()[-1])
        elif re.match(r'parsing \w+ payload, \d+ bytes left', text):
            cur = ('parsing', text.split()[1])
        elif m and 'CHUNK_DATA' not in text and 'finished' in text:
            cur = None
        if cur == (verb, ptype) and 'CHUNK_DATA' in text and data is not None:
            out.append(data)
    return out


def after(ev, label):
    return [d for t, d in ev if t.startswith(label) and d is not None]


def main():
    ev = parse(sys.argv[1])
    name = sys.argv[2]
    spis_gen = [d for t, d in ev if 'rule 0 IKE_SPI' in t and d is not None]
    spis_r = [d for t, d in ev if 'rule 1 IKE_SPI' in t and d is not None and any(d)]
    ni = payload_chunks(ev, 'generating', 'NONCE_V1')
    nr = payload_chunks(ev, 'parsing', 'NONCE_V1')
    gi = payload_chunks(ev, 'generating', 'KEY_EXCHANGE_V1')
    gr = payload_chunks(ev, 'parsing', 'KEY_EXCHANGE_V1')
    spi = {}
    for t, _ in ev:
        m = re.match(r'\s*SPI 0x([0-9a-f]+), src (\S+) dst (\S+)', t)
        if m:
            spi[m.group(3)] = m.group(1)
    v = {
        'icky': spis_gen[0], 'rcky': spis_r[0],
        'ni': ni[0], 'nr': nr[0], 'gxi': gi[0], 'gxr': gr[0],
        'gxy': after(ev, 'shared Diffie Hellman secret')[0],
        'skeyid': after(ev, 'SKEYID =>')[0], 'skeyid_d': after(ev, 'SKEYID_d')[0],
        'skeyid_a': after(ev, 'SKEYID_a')[0], 'skeyid_e': after(ev, 'SKEYID_e')[0],
        'ka': after(ev, 'encryption key Ka')[0], 'iv': after(ev, 'initial IV')[0],
        'qm_ni': ni[1], 'qm_nr': nr[1],
        'enc_i': after(ev, 'encryption initiator key')[0],
        'enc_r': after(ev, 'encryption responder key')[0],
    }
    integ_i = after(ev, 'integrity initiator key')
    integ_r = after(ev, 'integrity responder key')
    v['int_i'] = integ_i[0] if integ_i else b''
    v['int_r'] = integ_r[0] if integ_r else b''
    gqm = after(ev, 'DH secret')
    v['gqm'] = gqm[0] if gqm else b''
    print('\t/* %s: charon 5.9.8 (%s), initiator side */' % (name, sys.argv[1]))
    print('\t{')
    print('\t\t.name = "%s",' % name)
    for k, d in v.items():
        h = d.hex()
        parts = [h[i:i + 64] for i in range(0, len(h), 64)] or ['']
        print('\t\t.%s = "%s"' % (k, parts[0]) + ('' if len(parts) > 1 else ','))
        for j, p in enumerate(parts[1:]):
            print('\t\t\t"%s"%s' % (p, ',' if j == len(parts) - 2 else ''))
    # the responder's SPI (its inbound) protects initiator -> responder
    print('\t\t.spi_i2r = 0x%s,' % spi_for(spi, 'r'))
    print('\t\t.spi_r2i = 0x%s,' % spi_for(spi, 'i'))
    print('\t},')


def spi_for(spi, side):
    # keys are SA destination addresses: the initiator is 192.168.77.1
    return spi['192.168.77.2'] if side == 'r' else spi['192.168.77.1']


main()
