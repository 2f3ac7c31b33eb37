/** Replies of the item-link ledger and the likely-duplicates list (flows/item-links/). */
import { z } from 'zod';
import { pageFields, timestamp } from './common.ts';

const origin = z
  .enum(['upc_match', 'created_by_export', 'chosen_by_person', 'followed_merge'])
  .describe('Why the link exists: a UPC match, an item an export created, a person chose it, it followed a merge');

export const linkEvent = z
  .object({
    seq: z.number().int().min(1),
    variantKey: z.string(),
    kind: z.enum(['linked', 'changed', 'forgotten', 'undone']),
    at: timestamp,
    by: z.string().describe('Who: a person, or tradeloop for an export or a followed merge'),
    posItemId: z.string().nullable().describe('The link after the event (null once forgotten)'),
    origin: origin.nullable(),
    previousPosItemId: z.string().nullable(),
    previousOrigin: origin.nullable(),
    evidence: z.string().nullable(),
    undoes: z.number().int().nullable().describe('For an undo: the seq of the event it reverted'),
    sentence: z.string().describe('The event in words'),
  })
  .meta({ id: 'ItemLinkEvent' });

export const linkHistory = z
  .object({
    variantKey: z.string(),
    link: z.object({
      variantKey: z.string(),
      posItemId: z.string().nullable(),
      origin: origin.nullable(),
      originLabel: z.string().nullable(),
      since: timestamp.nullable(),
      by: z.string().nullable(),
      evidence: z.string().nullable(),
      changes: z.number().int(),
    }),
    events: z.array(linkEvent),
  })
  .meta({ id: 'ItemLinkHistory' });

export const linkListItem = z
  .object({
    variantKey: z.string().describe('brand|style|color|size, each part normalised and URI-encoded'),
    parts: z.object({ brand: z.string(), style: z.string(), color: z.string(), size: z.string() }),
    posItemId: z.string(),
    origin: origin.nullable(),
    originLabel: z.string().nullable(),
    since: timestamp,
    item: z.object({ name: z.string().nullable(), sku: z.string().nullable(), archived: z.boolean().nullable() }),
    changes: z.number().int().describe('Events in the history'),
  })
  .meta({ id: 'ItemLink' });

export const linksPage = z
  .object({
    links: z.array(linkListItem),
    brand: z.object({ id: z.string(), name: z.string() }).nullable(),
    ...pageFields,
  })
  .meta({ id: 'ItemLinksPage' });

const duplicateItem = z.object({
  posItemId: z.string(),
  name: z.string(),
  sku: z.string().nullable(),
  gtins: z.array(z.string()),
  archived: z.boolean(),
  createdByTradeloop: z.boolean(),
  styleNumber: z.string().nullable().optional(),
  color: z.string().nullable().optional(),
  size: z.string().nullable().optional(),
});

export const likelyDuplicate = z
  .object({
    ours: duplicateItem.describe('The item an export created'),
    theirs: duplicateItem.describe("The merchant's own item for the same size"),
    matchedOn: z.enum(['style_color_size', 'sku']),
    variantKeys: z.array(z.string()).describe("The sizes linked to Tradeloop's item"),
    advice: z.object({
      system: z.string().describe('The POS system (a registered one, e.g. lightspeed-r)'),
      canMerge: z.boolean(),
      permanent: z.boolean().describe('A merge in the POS cannot be undone'),
      summary: z.string(),
      directions: z.array(
        z.object({
          id: z.enum(['existing_into_new', 'new_into_existing', 'relink_and_deactivate']),
          title: z.string(),
          steps: z.array(z.string()),
          outcome: z.string(),
          recommended: z.boolean(),
        }),
      ),
    }),
  })
  .meta({ id: 'LikelyDuplicate' });

export const duplicatesReply = z
  .object({
    system: z.string().describe('The POS system (a registered one, e.g. lightspeed-r)'),
    canMerge: z
      .boolean()
      .describe('The POS merges items (so merges made there can be followed); false: relink instead'),
    duplicates: z.array(likelyDuplicate),
  })
  .meta({ id: 'LikelyDuplicates' });

const followedMerge = z.object({
  variantKey: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  note: z.string(),
});

export const followMergesReply = z
  .object({ followed: z.array(followedMerge), unresolved: z.array(followedMerge) })
  .meta({ id: 'FollowedMerges' });

export const relinkReply = z.object({ relinked: z.array(z.string()) }).meta({ id: 'RelinkedDuplicate' });
