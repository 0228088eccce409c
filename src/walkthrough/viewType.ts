// The getting-started page's webview type, shared by its serializer (register.ts) and its panel (panel.ts).
export const WALKTHROUGH_VIEW_TYPE = 'kmsExplorer.walkthrough';
