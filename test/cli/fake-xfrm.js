/**
 * The shipped fake XFRM kernel (`netlink-xfrm/testing`, {@link FakeXfrmKernel}) plus a `run()`
 * that executes the CLI against it, capturing stdout, stderr and the exit code.
 */
import { FakeXfrmKernel } from '../../src/testing/index.js';
import { runWith } from '../../src/cli/main.js';
/** The fake kernel with the CLI runner; `config.hz` is the kernel's `hz`. */
export class CliFakeXfrm extends FakeXfrmKernel {
    /** The kernel's configuration as the tests set it. */
    config = ((self) => ({
        get hz() {
            return self.hz;
        },
        set hz(v) {
            self.hz = v;
        },
    }))(this);
    /** Run the CLI against this kernel. */
    async run(argv, env = {}) {
        let stdout = '';
        let stderr = '';
        const code = await runWith(argv, {
            out: (s) => void (stdout += s),
            err: (s) => void (stderr += s),
            openClient: () => this.openClient(),
            stdoutIsTTY: false,
            stderrIsTTY: false,
            ...env,
        });
        return { code, stdout, stderr };
    }
}
/** SPIs from ALLOCSPI come from a counter at 0xc0de0000 (the CLI tests name them), whatever the range. */
export function fakeXfrm() {
    let spi = 0xc0de0000;
    return new CliFakeXfrm({ chooseSpi: () => spi++ });
}
