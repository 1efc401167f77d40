// jsdom lacks what browsers have and the SDK's module scope uses.
const util = require('node:util');
Object.assign(globalThis, { TextDecoder: util.TextDecoder, TextEncoder: util.TextEncoder });
