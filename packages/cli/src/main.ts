#!/usr/bin/env node
// The `inbox` bin. Everything lives in program.ts, which tests import without running it.
import { main } from './program.js';

await main();
