/**
 * A publisher of its own, for the status folder record race (test/status-folder-witness-race.test.ts):
 *   node --import tsx test/helpers/witness-child.ts <dir> <workspaceIdentity> <prefix> <count> <startAtMs>
 * Waits until <startAtMs> (so that two children start together, whatever their start-up took), then records the lists
 * <prefix>-0 … <prefix>-<count-1> in <dir>'s record one by one, as one publication after another does, and prints "done".
 */
import { recordStatusFolderWitness } from '../../src/node/status-folder-witness';

const [dir, identity, prefix, count, startAt] = process.argv.slice(2);
const wait = Number(startAt) - Date.now();
if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
for (let i = 0; i < Number(count); i++) await recordStatusFolderWitness(dir!, identity!, [`${prefix}-${i}`]);
process.stdout.write('done\n');
