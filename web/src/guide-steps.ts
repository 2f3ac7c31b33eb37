/**
 * The getting-started guide's steps: what each says, the page it is about, and the control it points at
 * (an element marked `data-guide="…"`).
 */
export interface Step {
  title: string;
  body: string;
  /** The page the step is about; the guide offers to go there. */
  page: string | null;
  pageName?: string;
  /** Where to go when `page` is a family of pages (a plan). */
  goTo?: string;
  target: string | null;
}

export const steps: Step[] = [
  {
    title: 'Welcome to Tradeloop',
    body: 'Tradeloop brings approved NuORDER orders into your Lightspeed point of sale as purchase orders, matching every product by its UPC. Three steps get you there: link NuORDER, link your POS, export an order.',
    page: null,
    target: null,
  },
  {
    title: 'Link NuORDER',
    body: 'Press “Link NuORDER”, name the brand portal and continue. NuORDER asks you to choose that brand portal and approve Tradeloop, then brings you back here.',
    page: '/connections',
    pageName: 'Connections',
    target: 'link-nuorder',
  },
  {
    title: 'Link your point of sale',
    body: 'Press “Link X-Series” or “Link R-Series” and allow access on the Lightspeed page. Tradeloop then reads your catalog, so it can match products by UPC.',
    page: '/connections',
    pageName: 'Connections',
    target: 'link-pos',
  },
  {
    title: 'Review an export',
    body: 'Your approved orders are listed with their POS-sync status. Press “Export” on an order (or tick several and export them together). Nothing is written to the POS until you confirm.',
    page: '/orders',
    pageName: 'Orders',
    target: 'order-export',
  },
  {
    title: 'Resolve, then export',
    body: 'Sizes under “Needs review” need your decision: pick the POS item with the same UPC, or create a new item. When nothing needs review, press the Export button at the bottom.',
    page: '/plans/',
    goTo: '/orders',
    pageName: 'Orders',
    target: 'export-button',
  },
  {
    title: 'Follow it through',
    body: 'Progress shows each step. When it finishes you get a notification and a summary; “View purchase orders” shows the PO as your POS has it, tagged “Synced from NuORDER”. Reopen this guide any time from Help.',
    page: null,
    target: null,
  },
];
