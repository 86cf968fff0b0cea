// The page shell: Lit, the catalogues and the input handling. The verifier itself (the library) loads with the first
// credential, from engine.ts. Elements are registered here, explicitly: package.json marks modules side-effect free.
import { VerifierApp } from './app';
import { defineLearnerCheck } from './views';
import './styles.css';

defineLearnerCheck();
customElements.define('mc-verifier', VerifierApp);
