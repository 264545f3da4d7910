#!/usr/bin/env node
// Entry point of the senlin-ts command (built code in dist/; `npm run build` creates it).
import '../dist/cmd/cli.js';
