/** The sales-order API's shapes: the server's own types (src/http/api-types.ts), imported as types only. */
import type * as api from '../../../../src/http/api-types.ts';

export type RuleDocument = api.SalesRuleSet;
export type Rule = RuleDocument['rules'][number];
export type Condition = Rule['when'][number];
export type MappingEntry = RuleDocument['mapping'][number];
export type Version = api.SalesRuleSetVersion;
export type RulesResponse = api.SalesRules;
export type Language = RulesResponse['language'];
export type Issue = api.SalesRuleIssue;
export type Settings = api.SalesSettings;
export type Status = api.SalesStatus;
export type DryRun = api.SalesDryRun;
export type Planned = DryRun['rows'][number]['active'];
export type Figures = DryRun['active'];
export type LogEntry = api.SalesLogEntry;
