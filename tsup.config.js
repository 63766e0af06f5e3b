import { defineConfig } from 'tsup';
export default defineConfig({
    entry: {
        index: 'src/index.ts',
        'netlink/index': 'src/netlink/index.ts',
        'xfrm/index': 'src/xfrm/index.ts',
        'socket/index': 'src/socket/index.ts',
        'client/index': 'src/client/index.ts',
        'ha/index': 'src/ha/index.ts',
        'testing/index': 'src/testing/index.ts',
        cli: 'src/cli.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
});
