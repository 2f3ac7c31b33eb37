/** The sales-order API's shapes as this page reads them (see src/http/routes/sales.ts). */
export type Condition = { field: string; op: string; value?: string | number | boolean | string[] };
export type Rule = { id: string; name: string; enabled: boolean; when: Condition[]; send: boolean; status?: string };
export type MappingEntry = { key: string; xStatus: string; label: string; paid: boolean; description: string };
export type RuleDocument = {
  mapping: MappingEntry[];
  rules: Rule[];
  pickupShipMethods: string[];
  deliveryShipMethods: string[];
};
export type Version = {
  version: number;
  state: string;
  note: string | null;
  createdAt: string | null;
  activatedAt: string | null;
  document: RuleDocument;
};
export type Language = {
  fields: Array<{ name: string; kind: string; values?: string[]; description: string }>;
  operators: string[];
  netsuiteStatuses: string[];
  xSeriesStatuses: Array<{ status: string; label: string; state: string; attributes: string[] }>;
};
export type RulesResponse = { active: Version; versions: Version[]; language: Language };
export type Issue = { path: string; rule?: string; field?: string; message: string };
export type Settings = {
  skipSalesOrders: boolean;
  syncIntervalMinutes: number;
  lookbackDays: number;
  netsuiteCustomerId: string | null;
  paymentTypeName: string;
  posSalesOrderBilling: string;
};
export type Status = {
  netsuite: { name: string; status: string; account: string } | null;
  xseries: { name: string; status: string; account: string } | null;
  settings: Settings;
  activeVersion: number;
  counts: Array<{ direction: string; state: string; count: number }>;
  jobs: Array<{ id: string; task: string; state: string; lastError: string | null }>;
};
export type Planned = { outcome: string; status?: string; reason?: string };
export type Figures = {
  orders: number;
  send: number;
  sendByStatus: Record<string, number>;
  notSent: number;
  blocked: number;
  alreadySent: number;
};
export type DryRun = {
  days: number;
  activeVersion: number;
  draftVersion: number | null;
  active: Figures;
  draft: Figures;
  changed: number;
  rows: Array<{ orderId: string; tranId: string; active: Planned; draft: Planned; change: string }>;
};
export type LogEntry = {
  id: string;
  direction: 'ns_to_x' | 'x_to_ns';
  state: string;
  netsuite: { recordType: string | null; id: string | null; tranId: string | null };
  xseries: { saleId: string | null; invoiceNumber: string | null; status: string | null };
  sentAs: string | null;
  ruleSetVersion: number | null;
  reason: string | null;
  error: { code: string | null; message: string | null } | null;
  updatedAt: string;
};
