export { ed25519PathsTaken, sha256PathsTaken } from '../../src/platform/paths-taken';
