/* eslint-disable @typescript-eslint/no-require-imports */
// Loads the TypeScript worker (./worker.ts) through tsx when the server runs from source
// (npm start, jest); a compiled build loads worker.js instead (see ./pool.ts).
require('tsx/cjs/api').register();
module.exports = require('./worker.ts').default;
