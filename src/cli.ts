#!/usr/bin/env node
/**
 * The `netlink-xfrm` executable.
 * @module cli
 */
import { run } from './cli/main.js';

void run(process.argv.slice(2));
