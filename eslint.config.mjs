// ESLint's flat config; the rules and their packages are in tools/lint (npm run lint installs them).
export { default } from './tools/lint/eslint.config.js';
