/**
 * What the seeds do not say but a believable catalogue needs: product nouns and a price band
 * per subcategory, and how long each category takes to leave the warehouse. Subcategories the
 * seed adds later fall back to their category's defaults.
 */
export interface SubcategoryTraits {
  nouns: readonly string[];
  /** List price band in dollars; prices are log-uniform inside it. */
  priceDollars: readonly [number, number];
}

const SUBCATEGORY_TRAITS: Record<string, SubcategoryTraits> = {
  'Phones & Accessories': {
    nouns: [
      'Phone Case',
      'Charging Cable',
      'Wireless Charger',
      'Power Bank',
      'Smartphone',
      'Screen Protector',
    ],
    priceDollars: [9, 899],
  },
  'Computers & Tablets': {
    nouns: ['Laptop', 'Tablet', 'Monitor', 'Keyboard', 'Mouse', 'USB-C Hub'],
    priceDollars: [19, 1799],
  },
  Audio: { nouns: ['Earbuds', 'Headphones', 'Speaker', 'Soundbar', 'Turntable'], priceDollars: [19, 499] },
  'Smart Home': {
    nouns: ['Smart Plug', 'Video Doorbell', 'Thermostat', 'Smart Bulb', 'Security Camera'],
    priceDollars: [14, 299],
  },
  "Women's Clothing": {
    nouns: ['Dress', 'Blouse', 'Cardigan', 'Jeans', 'Raincoat', 'Skirt'],
    priceDollars: [15, 180],
  },
  "Men's Clothing": {
    nouns: ['Shirt', 'Chinos', 'Hoodie', 'Jacket', 'Sweater', 'T-Shirt'],
    priceDollars: [12, 220],
  },
  Shoes: { nouns: ['Sneakers', 'Boots', 'Sandals', 'Loafers', 'Running Shoes'], priceDollars: [25, 240] },
  'Bags & Accessories': {
    nouns: ['Backpack', 'Belt', 'Wallet', 'Scarf', 'Tote Bag', 'Sunglasses'],
    priceDollars: [10, 160],
  },
  'Kitchen & Dining': {
    nouns: ['Chef Knife', 'Dutch Oven', 'Coffee Grinder', 'Dinner Set', 'Blender'],
    priceDollars: [12, 349],
  },
  Furniture: {
    nouns: ['Bookshelf', 'Desk', 'Armchair', 'Side Table', 'Bed Frame'],
    priceDollars: [49, 1299],
  },
  'Garden & Outdoor': {
    nouns: ['Planter', 'Hose Reel', 'Patio Chair', 'Grill', 'Pruning Shears'],
    priceDollars: [9, 599],
  },
  'Bedding & Bath': {
    nouns: ['Duvet Cover', 'Pillow', 'Bath Towel Set', 'Mattress Topper', 'Bath Mat'],
    priceDollars: [12, 260],
  },
  Fiction: {
    nouns: ['Novel', 'Thriller', 'Short Stories', 'Fantasy Saga', 'Mystery'],
    priceDollars: [8, 32],
  },
  'Non-Fiction': {
    nouns: ['Cookbook', 'Biography', 'History', 'Travel Guide', 'Self-Help Guide'],
    priceDollars: [10, 45],
  },
  "Children's Books": {
    nouns: ['Picture Book', 'Activity Book', 'Bedtime Stories', 'Board Book'],
    priceDollars: [5, 25],
  },
  'Building Sets': {
    nouns: ['Brick Set', 'Construction Kit', 'Marble Run', 'Robot Kit'],
    priceDollars: [12, 199],
  },
  'Board Games & Puzzles': {
    nouns: ['Board Game', 'Jigsaw Puzzle', 'Card Game', 'Strategy Game'],
    priceDollars: [9, 79],
  },
  'Outdoor Play': {
    nouns: ['Scooter', 'Kite', 'Trampoline', 'Water Blaster', 'Sandbox'],
    priceDollars: [12, 349],
  },
};

const CATEGORY_DEFAULTS: Record<string, SubcategoryTraits> = {
  Electronics: { nouns: ['Gadget', 'Device', 'Adapter'], priceDollars: [15, 600] },
  Clothing: { nouns: ['Top', 'Trousers', 'Coat'], priceDollars: [12, 180] },
  'Home & Garden': { nouns: ['Organiser', 'Lamp', 'Rug'], priceDollars: [10, 400] },
  Books: { nouns: ['Book', 'Paperback', 'Hardcover'], priceDollars: [6, 40] },
  Toys: { nouns: ['Toy', 'Playset', 'Game'], priceDollars: [8, 120] },
};

const GENERIC: SubcategoryTraits = { nouns: ['Item', 'Product', 'Essential'], priceDollars: [10, 200] };

export function traitsFor(categoryName: string, subcategoryName: string): SubcategoryTraits {
  return SUBCATEGORY_TRAITS[subcategoryName] ?? CATEGORY_DEFAULTS[categoryName] ?? GENERIC;
}

/**
 * Median hours from order to shipment. Bulky Home & Garden goods ship from a slower warehouse;
 * books and small electronics go out the next day.
 */
const FULFILMENT_HOURS: Record<string, number> = {
  Electronics: 30,
  Clothing: 40,
  'Home & Garden': 84,
  Books: 20,
  Toys: 44,
};

export function fulfilmentHoursFor(categoryName: string): number {
  return FULFILMENT_HOURS[categoryName] ?? 48;
}

/** utm_source a campaign of each channel puts in its landing URLs. */
export const UTM_SOURCE_BY_CHANNEL: Record<string, string> = {
  email: 'newsletter',
  social: 'facebook',
  search: 'google',
  display: 'gdn',
  affiliate: 'partner_network',
  direct: 'catalogue_qr',
};

/** Synthetic PII only: email domains are reserved for documentation (RFC 2606). */
export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;
