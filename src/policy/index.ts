// The policy evaluator shared by the sandbox and the extension: documents, conditions, variables, decisions.
export * from './conditions';
export * from './context';
export * from './document';
export * from './evaluate';
export * from './variables';
export * from './wildcard';
export * from './access';
export * from './kmsActions';
export * from './explain';
export * from './locate';
export * from './consolePolicy';
