#!/usr/bin/env python3
"""Raw Ethernet frames for the live-HA guest suite (test/uml/*.halive.ts), run inside a
network namespace of the user-mode-linux guest. Node has no AF_PACKET sockets; Python's
standard library does.

  esp-frames.py capture IFACE DST_IPV4 OUTFILE
      Append every IPv4 ESP frame addressed to DST_IPV4 that arrives at IFACE for this host
      (PACKET_HOST) to OUTFILE, one hex line per frame. Keeps the newest 4096 frames in
      memory and writes them when stopped by SIGTERM (a write per frame would cost more CPU
      than the traffic under UML). Prints "ready" once bound.
  esp-frames.py send IFACE DST_MAC INFILE
      Send every frame of INFILE (hex lines) out of IFACE with its destination MAC replaced
      by DST_MAC. Prints the number sent.
  esp-frames.py garp IFACE IPV4 MAC
      Answer ARP on IFACE again (arp_ignore 0) and announce IPV4 at MAC (gratuitous ARP
      request and reply, broadcast), as a node taking a virtual address over does.
"""
import collections
import signal
import socket
import sys

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
PACKET_HOST = 0
IPPROTO_ESP = 50


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(':'))


def capture(iface, dst, out_path):
    want = socket.inet_aton(dst)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    s.bind((iface, ETH_P_IP))
    stop = []
    # SIGTERM only sets the flag: a short receive timeout lets the loop see it, and no frame
    # already taken off the socket can be lost to an exception raised between two statements.
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    s.settimeout(0.05)
    frames = collections.deque(maxlen=4096)

    def keep(frame, meta):
        if meta[2] != PACKET_HOST or len(frame) < 14 + 20 + 8:
            return
        ip = frame[14:]
        if ip[0] >> 4 != 4 or ip[9] != IPPROTO_ESP or ip[16:20] != want:
            return
        frames.append(frame)

    print('ready', flush=True)
    while not stop:
        try:
            keep(*s.recvfrom(65535))
        except socket.timeout:
            pass
    # Frames queued on the socket before the stop were seen by the device before the stack
    # processed them: read them too, or a loaded machine loses the newest frames A accepted.
    s.setblocking(False)
    while True:
        try:
            keep(*s.recvfrom(65535))
        except BlockingIOError:
            break
    with open(out_path, 'w') as out:
        out.write(''.join(f.hex() + '\n' for f in frames))


def send(iface, dst_mac, in_path):
    mac = mac_bytes(dst_mac)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    n = 0
    with open(in_path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            frame = bytes.fromhex(line)
            s.send(mac + frame[6:])
            n += 1
    print(n, flush=True)


def garp(iface, ip, mac_text):
    mac = mac_bytes(mac_text)
    addr = socket.inet_aton(ip)
    with open('/proc/sys/net/ipv4/conf/%s/arp_ignore' % iface, 'w') as f:
        f.write('0\n')
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    s.bind((iface, ETH_P_ARP))
    bcast = b'\xff' * 6
    for op in (1, 2):  # request, then reply: hosts differ in which one refreshes their cache
        arp = (b'\x00\x01' + b'\x08\x00' + b'\x06\x04' + op.to_bytes(2, 'big') +
               mac + addr + (b'\x00' * 6 if op == 1 else bcast) + addr)
        s.send(bcast + mac + ETH_P_ARP.to_bytes(2, 'big') + arp)
    print('sent', flush=True)


def main(argv):
    if len(argv) == 5 and argv[1] == 'capture':
        capture(argv[2], argv[3], argv[4])
    elif len(argv) == 5 and argv[1] == 'send':
        send(argv[2], argv[3], argv[4])
    elif len(argv) == 5 and argv[1] == 'garp':
        garp(argv[2], argv[3], argv[4])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
