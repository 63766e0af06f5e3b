/**
 * Test helpers for code built on this library (subpath `netlink-xfrm/testing`): a fake
 * kernel that plugs in below the framing code, so your tests run the real socket logic
 * without root, and a stateful XFRM kernel (SAD, SPD, notifications) on top of it.
 * @module testing
 */
export {
  FakeKernel,
  FakeSocket,
  type FakeExtack,
  type FakeHandler,
  type FakeKernelOptions,
  type FakeOutput,
  type FakeOverrun,
  type FakeRequest,
} from './fake-kernel.js';
export { FakeXfrmKernel, type FakeXfrmKernelOptions } from './xfrm-kernel.js';
export { fakeSaKey, type FakeHthresh, type FakePolicy, type FakeReplayCounters, type FakeSa, type FakeXfrmFailure } from './xfrm-tables.js';
