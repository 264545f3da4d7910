/** Executable entry: runs the senlin-ts command with the process arguments. */
import { main } from './main.js';

await main(process.argv);
