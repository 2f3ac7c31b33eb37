/**
 * Whether a new style fits the shape the POS allows for one product, and if not, the split that makes it
 * fit, decided at plan time and shown in the review, so nothing fails at apply for shape.
 *
 * Limits: X-Series allows at most 3 variant attributes and 200 variants per product (X-Series support
 * article 25534074031899). R-Series matrices take one of four fixed attribute sets (Color/Size, Size,
 * Color, "3 Attributes" named Attribute 1–3; reference lightspeed-r-series.md §2.4) and document no
 * variant count limit, so none is applied unless a caller passes one.
 *
 * The proposal, in this order:
 *   1. too many attributes: attributes with one value across the style move into the product name; if
 *      still too many, the last ones are combined into one ("Size / Inseam", values "32 / 30");
 *   2. too many variants: one product per value of the first attribute (one per colour), then each part
 *      still too big is cut into equal runs of the variants in the order given (pass sizes in the brand's
 *      order, so each product is a size range).
 * Two variants with the same values, or a blank value, cannot be fixed by splitting: they are problems
 * for review.
 */

export interface StyleShape {
  /** The style's key (a matrixKey); split products get keys derived from it. */
  readonly key: string;
  /** Attribute names in order: ['Color', 'Size']. */
  readonly attributes: readonly string[];
  /** Each variant's values, aligned with `attributes`. */
  readonly variants: ReadonlyArray<{ readonly key: string; readonly values: readonly string[] }>;
}

/** A POS's product-shape limits: part of its connector's capabilities (the manifest), not a list kept here. */
export interface PosShapeLimits {
  readonly system: string;
  /** How a warning names the POS (`X-Series`); default its system name. */
  readonly posName?: string;
  readonly maxAttributes: number;
  /** Null: no documented limit. */
  readonly maxVariants: number | null;
  /** Whether a product names its attribute set (R-Series ItemMatrix `itemAttributeSetID`). */
  readonly namesAttributeSets?: boolean;
}

export const X_SERIES_SHAPE: PosShapeLimits = {
  system: 'lightspeed-x',
  posName: 'X-Series',
  maxAttributes: 3,
  maxVariants: 200,
};
export const R_SERIES_SHAPE: PosShapeLimits = {
  system: 'lightspeed-r',
  posName: 'R-Series',
  maxAttributes: 3,
  maxVariants: null,
  namesAttributeSets: true,
};

/** Where a product's attributes go in an R-Series matrix: the set's name and attribute1..3. */
export interface RSeriesAttributeSet {
  readonly name: 'Color/Size' | 'Size' | 'Color' | '3 Attributes';
  /** attribute1..3: the product attribute stored in each slot, null when unused. */
  readonly slots: readonly [string | null, string | null, string | null];
}

export interface ProposedProduct {
  /** The style key when unsplit; otherwise derived from it, stable for the same style and split. */
  readonly key: string;
  /** Added to the style's name: "" when unsplit, " — Navy", " — Navy (1 of 2)", " (2 of 2)". */
  readonly nameSuffix: string;
  /** The product's attributes; each variant's `values` below are aligned with them. */
  readonly attributes: readonly string[];
  readonly variants: ReadonlyArray<{ readonly key: string; readonly values: readonly string[] }>;
  /** Values every variant of this product shares because of the split (named in `nameSuffix`). */
  readonly fixed: ReadonlyArray<{ readonly attribute: string; readonly value: string }>;
  /** Set for R-Series. */
  readonly rSeriesSet?: RSeriesAttributeSet;
}

export type ShapeProblemCode = 'DUPLICATE_COMBINATION' | 'BLANK_VALUE';

export interface ShapeProblem {
  readonly code: ShapeProblemCode;
  readonly message: string;
  readonly variantKeys: readonly string[];
}

export interface ShapeProposal {
  /** True when the style fits as it is: one product, unchanged. */
  readonly fits: boolean;
  readonly products: readonly ProposedProduct[];
  /** What was done to make it fit, in plain words, for the review. */
  readonly steps: readonly string[];
  /** What a split cannot fix; the plan sends the style to review. */
  readonly problems: readonly ShapeProblem[];
}

type Variant = { key: string; values: string[] };
type Group = { attributes: string[]; variants: Variant[]; fixed: Array<{ attribute: string; value: string }> };

/** Checks a new style against the POS's limits and proposes the products to create. */
export function proposeVariantShape(style: StyleShape, limits: PosShapeLimits): ShapeProposal {
  for (const v of style.variants) {
    if (v.values.length !== style.attributes.length) {
      throw new RangeError(`variant ${v.key} has ${v.values.length} values for ${style.attributes.length} attributes`);
    }
  }
  const steps: string[] = [];
  const pos = limits.posName ?? limits.system;
  let group: Group = {
    attributes: [...style.attributes],
    variants: style.variants.map((v) => ({ key: v.key, values: [...v.values] })),
    fixed: [],
  };
  if (group.attributes.length > limits.maxAttributes) group = fitAttributes(group, limits.maxAttributes, pos, steps);
  const groups = limits.maxVariants === null ? [group] : fitCount(group, limits.maxVariants, pos, steps, true);
  const products = groups.map((g) => toProduct(style.key, g, groups, limits));
  return { fits: steps.length === 0, products, steps, problems: shapeProblems(style) };
}

/** Moves single-valued attributes into the name, then combines the last attributes until `max` remain. */
function fitAttributes(group: Group, max: number, pos: string, steps: string[]): Group {
  const constant = group.attributes.filter((_, i) => new Set(group.variants.map((v) => v.values[i])).size <= 1);
  let g = group;
  for (const attribute of constant) {
    if (g.attributes.length <= max) break;
    const i = g.attributes.indexOf(attribute);
    const value = g.variants[0]?.values[i] ?? '';
    g = {
      attributes: g.attributes.filter((_, j) => j !== i),
      variants: g.variants.map((v) => ({ key: v.key, values: v.values.filter((_, j) => j !== i) })),
      fixed: [...g.fixed, { attribute, value }],
    };
    steps.push(`${attribute} "${value}" is the same for every variant, so it goes in the product name`);
  }
  if (g.attributes.length <= max) return g;
  const keep = Math.max(max - 1, 0);
  const merged = g.attributes.slice(keep);
  steps.push(`${merged.join(' and ')} combined into one attribute (${pos} allows ${max})`);
  return {
    attributes: [...g.attributes.slice(0, keep), merged.join(' / ')],
    variants: g.variants.map((v) => ({
      key: v.key,
      values: [...v.values.slice(0, keep), v.values.slice(keep).join(' / ')],
    })),
    fixed: g.fixed,
  };
}

/** Splits a group over `max` variants: by its first attribute (once), then into equal runs. */
function fitCount(group: Group, max: number, pos: string, steps: string[], byFirst: boolean): Group[] {
  if (group.variants.length <= max) return [group];
  const first = group.attributes[0];
  const values = [...new Set(group.variants.map((v) => v.values[0] ?? ''))];
  if (byFirst && first !== undefined && group.attributes.length >= 2 && values.length > 1) {
    steps.push(
      `${group.variants.length} variants are over ${pos}'s ${max}: one product per ${first} (${values.length})`,
    );
    return values.flatMap((value) =>
      fitCount(
        {
          ...group,
          variants: group.variants.filter((v) => v.values[0] === value),
          fixed: [...group.fixed, { attribute: first, value }],
        },
        max,
        pos,
        steps,
        false,
      ),
    );
  }
  const parts = Math.ceil(group.variants.length / max);
  const base = Math.floor(group.variants.length / parts);
  const extra = group.variants.length % parts;
  const runs: Group[] = [];
  let at = 0;
  for (let p = 0; p < parts; p++) {
    const size = base + (p < extra ? 1 : 0);
    runs.push({ ...group, variants: group.variants.slice(at, at + size) });
    at += size;
  }
  const whose = group.fixed.length === 0 ? 'the style' : group.fixed.map((f) => f.value).join(' / ');
  steps.push(
    `${whose}: ${group.variants.length} variants split into ${parts} products of ${runs.map((r) => r.variants.length).join(', ')} in the order given (${pos} allows ${max})`,
  );
  return runs;
}

function toProduct(styleKey: string, g: Group, all: Group[], limits: PosShapeLimits): ProposedProduct {
  const siblings = all.filter((o) => sameValues(o.fixed, g.fixed));
  const part = siblings.length > 1 ? `${siblings.indexOf(g) + 1} of ${siblings.length}` : null;
  const fixedWords = g.fixed.map((f) => f.value).join(' / ');
  const nameSuffix = (fixedWords === '' ? '' : ` — ${fixedWords}`) + (part === null ? '' : ` (${part})`);
  const keyParts = [
    ...g.fixed.map((f) => `${encodeURIComponent(f.attribute)}=${encodeURIComponent(f.value)}`),
    ...(part === null ? [] : [`part=${part.replace(' of ', 'of')}`]),
  ];
  return {
    key: all.length === 1 ? styleKey : [styleKey, ...keyParts].join('|'),
    nameSuffix,
    attributes: g.attributes,
    variants: g.variants,
    fixed: g.fixed,
    ...(limits.namesAttributeSets ? { rSeriesSet: rSeriesAttributeSet(g.attributes) } : {}),
  };
}

const sameValues = (a: Group['fixed'], b: Group['fixed']): boolean =>
  a.length === b.length && a.every((f, i) => f.attribute === b[i]?.attribute && f.value === b[i]?.value);

/**
 * The R-Series attribute set for a product's attributes. Color goes in attribute1 and Size in attribute2
 * (the "Size" system set keeps size in attribute2); anything else needs the generic "3 Attributes" set,
 * whose slots R-Series shows as Attribute 1–3.
 */
export function rSeriesAttributeSet(attributes: readonly string[]): RSeriesAttributeSet {
  const kind = (a: string): 'color' | 'size' | 'other' => {
    const n = a.trim().toLowerCase();
    return n === 'color' || n === 'colour' ? 'color' : n === 'size' ? 'size' : 'other';
  };
  const kinds = attributes.map(kind);
  const color = attributes[kinds.indexOf('color')] ?? null;
  const size = attributes[kinds.indexOf('size')] ?? null;
  if (attributes.length <= 2 && !kinds.includes('other') && new Set(kinds).size === kinds.length) {
    const name = color !== null && size !== null ? 'Color/Size' : size !== null ? 'Size' : 'Color';
    return { name, slots: [color, size, null] };
  }
  return { name: '3 Attributes', slots: [attributes[0] ?? null, attributes[1] ?? null, attributes[2] ?? null] };
}

function shapeProblems(style: StyleShape): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const byCombination = new Map<string, string[]>();
  const blank: string[] = [];
  for (const v of style.variants) {
    if (v.values.some((x) => x.trim() === '')) blank.push(v.key);
    const combo = JSON.stringify(v.values.map((x) => x.trim().toLowerCase()));
    byCombination.set(combo, [...(byCombination.get(combo) ?? []), v.key]);
  }
  for (const [combo, keys] of byCombination) {
    if (keys.length > 1) {
      const values = (JSON.parse(combo) as string[]).join(' / ');
      problems.push({
        code: 'DUPLICATE_COMBINATION',
        message: `${keys.length} variants are all "${values}": a POS product cannot hold two variants with the same ${style.attributes.join(' and ')}`,
        variantKeys: keys,
      });
    }
  }
  if (blank.length > 0) {
    problems.push({
      code: 'BLANK_VALUE',
      message: `${blank.length} variant${blank.length === 1 ? ' has' : 's have'} a blank ${style.attributes.join(' or ')}`,
      variantKeys: blank,
    });
  }
  return problems;
}
