// Run by test/platform/arm64.test.ts under `qemu-aarch64` with the arm64 Node: load the
// cross-compiled shim given as argv[2] and talk to the (host) kernel through it. qemu-user
// passes socket system calls on, but translates only some netlink protocols (NETLINK_ROUTE,
// not NETLINK_XFRM), so the round trip is an RTM_GETLINK dump. Prints one JSON line.
'use strict';
const shim = require(process.argv[2]);
const out = { arch: process.arch, exports: Object.keys(shim).sort() };
const NETLINK_ROUTE = 0;
const fd = shim.open(NETLINK_ROUTE);
shim.bind(fd, 0);
out.portId = shim.getsockname(fd);
// struct nlmsghdr (16) + struct ifinfomsg (16): RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP.
const req = new Uint8Array(32);
const v = new DataView(req.buffer);
v.setUint32(0, 32, true);
v.setUint16(4, 18, true);
v.setUint16(6, 0x301, true);
v.setUint32(8, 1, true);
out.sent = shim.send(fd, req);
try {
  out.xfrm = String(shim.open(6));
} catch (e) {
  out.xfrm = e.code; // qemu-user answers EPROTONOSUPPORT for NETLINK_XFRM
}
(async () => {
  out.readable = await shim.waitReadable(fd, 2000); // a libuv worker thread
  const into = new Uint8Array(65536);
  const got = await shim.recvAsync(fd, into, into.length);
  const first = got[0];
  const dv = new DataView(into.buffer);
  out.firstType = dv.getUint16(4, true);
  out.firstSeq = dv.getUint32(8, true);
  out.length = first.length;
  // uv_poll: drain the dump, then one more request must wake the poll handle.
  while (shim.recv(fd, into) !== null);
  await new Promise((resolve) => {
    const h = shim.poll(fd, (status) => {
      out.pollStatus = status;
      shim.stopPoll(h);
      shim.closePoll(h);
      resolve();
    });
    shim.startPoll(h);
    v.setUint32(8, 2, true);
    shim.send(fd, req);
  });
  shim.close(fd);
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
