/** Policy enforcement (oslo.policy-compatible rules). */
export { PolicySyntaxError, parseCheckList, parseCheckString } from './check-parser.js';
export { type Check, checkToString } from './checks.js';
export { DEFAULT_RULES, type DefaultRule, defaultRuleMap } from './defaults.js';
export { credentialsOf, PolicyEnforcer, type PolicyLoadOptions } from './enforcer.js';
export { type Credentials, evaluate, pythonString, type Target } from './evaluate.js';
export { PolicyFileError, type RuleText, readPolicyFile } from './policy-file.js';
export { renderPolicySample } from './sample.js';
