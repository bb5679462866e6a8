/// The fixed vocabulary behind ``ShopSample``: categories, brands, title words, tags,
/// price ranges, and the segment, region and device tables users are drawn from.
///
/// Everything here is an array indexed by position (never a `Dictionary`), so that every
/// loop over it runs in the same order in every process.
enum ShopCatalog {
  /// A brand and its price tier: 0 budget, 1 mid-range, 2 premium.
  struct Brand: Sendable {
    let name: String
    let tier: Int
  }

  /// One product category.
  struct Category: Sendable {
    /// The `category` column's value.
    let name: String
    /// Relative share of the catalogue (items are split in proportion, at least one each).
    let share: Int
    /// Price range in euros: an item's price is `low * (high / low)^q` for its price
    /// position `q` in [0, 1].
    let low: Double
    let high: Double
    let brands: [Brand]
    /// The words after the brand in a title ("Phone", "Phone Case").
    let nouns: [String]
    /// Optional endings of a title (" Pro", " Black", ""), chosen uniformly.
    let suffixes: [String]
    /// Whether a model number goes between noun and suffix ("Nova Phone 12 Pro").
    let numbered: Bool
    /// The tags an item of this category may carry.
    let tags: [String]
  }

  static let electronics: [Brand] = [
    Brand(name: "Nova", tier: 2), Brand(name: "Lumo", tier: 2), Brand(name: "Aero", tier: 1),
    Brand(name: "Orbit", tier: 1), Brand(name: "Zent", tier: 0), Brand(name: "Kiro", tier: 0),
  ]

  /// The categories, in the order of their index. Indices 0-3 are the phone and laptop
  /// families that ``accessory`` links.
  static let categories: [Category] = [
    Category(
      name: "phone", share: 6, low: 120, high: 1_300, brands: electronics, nouns: ["Phone"],
      suffixes: ["", "", " Pro", " Mini", " Max"], numbered: true,
      tags: ["5g", "bestseller", "camera", "compact", "dual-sim", "flagship", "gift"]),
    Category(
      name: "phone-accessory", share: 12, low: 6, high: 70, brands: electronics,
      nouns: ["Phone Case", "Charger", "Screen Protector", "USB-C Cable", "Power Bank", "Car Mount"],
      suffixes: ["", " Black", " Clear", " Blue", " 2-Pack"], numbered: false,
      tags: ["bestseller", "fast-charge", "gift", "magnetic", "rugged", "slim", "wireless"]),
    Category(
      name: "laptop", share: 5, low: 350, high: 2_800, brands: electronics, nouns: ["Book", "Laptop"],
      suffixes: ["", " Pro", " Air"], numbered: true,
      tags: ["bestseller", "gaming", "long-battery", "touchscreen", "ultralight", "workstation"]),
    Category(
      name: "laptop-accessory", share: 8, low: 12, high: 160, brands: electronics,
      nouns: ["Laptop Sleeve", "Laptop Stand", "USB-C Hub", "Wireless Mouse", "Keyboard", "Docking Station"],
      suffixes: ["", " Black", " Grey", " Compact"], numbered: false,
      tags: ["bestseller", "ergonomic", "gift", "slim", "usb-c", "wireless"]),
    Category(
      name: "headphones", share: 6, low: 15, high: 450, brands: electronics,
      nouns: ["Earbuds", "Headphones", "Buds"], suffixes: ["", " Lite", " Pro", " ANC"], numbered: true,
      tags: ["bass", "compact", "gift", "noise-cancelling", "sport", "wireless"]),
    Category(
      name: "book", share: 16, low: 6, high: 45,
      brands: [
        Brand(name: "Inkwell", tier: 2), Brand(name: "Pagehouse", tier: 1), Brand(name: "Leafline", tier: 0),
      ],
      nouns: ["Cookbook", "Novel", "Travel Guide", "Thriller", "Biography", "Poetry", "Science Primer"],
      suffixes: ["", " Vol. 2", " Vol. 3", " Paperback", " Hardcover"], numbered: false,
      tags: ["bestseller", "cooking", "fiction", "gift", "kids", "nonfiction", "travel"]),
    Category(
      name: "kitchen", share: 10, low: 8, high: 300,
      brands: [Brand(name: "Hearth", tier: 2), Brand(name: "Casa", tier: 1), Brand(name: "Basix", tier: 0)],
      nouns: ["Chef Knife", "Frying Pan", "Blender", "Coffee Maker", "Kettle", "Mixing Bowl Set", "Toaster"],
      suffixes: ["", " Steel", " Red", " XL"], numbered: false,
      tags: ["bestseller", "eco", "electric", "gift", "nonstick", "stainless"]),
    Category(
      name: "toy", share: 9, low: 6, high: 130,
      brands: [
        Brand(name: "Wonderkin", tier: 2), Brand(name: "Blox", tier: 1), Brand(name: "Tumble", tier: 0),
      ],
      nouns: ["Building Set", "Plush Bear", "Puzzle", "Race Car", "Doll House", "Board Game"],
      suffixes: ["", " Deluxe", " Mini", " Classic"], numbered: false,
      tags: ["educational", "gift", "kids", "outdoor", "wooden"]),
    Category(
      name: "sport", share: 9, low: 9, high: 320,
      brands: [
        Brand(name: "Peak", tier: 2), Brand(name: "Stride", tier: 1), Brand(name: "Kinetic", tier: 0),
      ],
      nouns: ["Running Shoes", "Yoga Mat", "Dumbbell Set", "Water Bottle", "Bike Helmet", "Tennis Racket"],
      suffixes: ["", " Pro", " Lite", " Blue"], numbered: false,
      tags: ["eco", "fitness", "gift", "outdoor", "running", "waterproof"]),
    Category(
      name: "beauty", share: 9, low: 4, high: 95,
      brands: [Brand(name: "Velvet", tier: 2), Brand(name: "Aura", tier: 1), Brand(name: "Pure", tier: 0)],
      nouns: ["Face Cream", "Lipstick", "Shampoo", "Perfume", "Serum", "Sunscreen"],
      suffixes: ["", " Travel Size", " Refill", " Gift Set"], numbered: false,
      tags: ["bestseller", "gift", "organic", "sensitive-skin", "vegan"]),
    Category(
      name: "home", share: 6, low: 9, high: 420,
      brands: [Brand(name: "Loft", tier: 2), Brand(name: "Haven", tier: 1), Brand(name: "Basix", tier: 0)],
      nouns: ["Desk Lamp", "Throw Blanket", "Wall Clock", "Storage Box", "Cushion", "Vase"],
      suffixes: ["", " Oak", " White", " Large"], numbered: false,
      tags: ["eco", "gift", "handmade", "smart", "wooden"]),
    Category(
      name: "grocery", share: 4, low: 2, high: 35,
      brands: [
        Brand(name: "Greenfield", tier: 2), Brand(name: "Harvest", tier: 1), Brand(name: "Daily", tier: 0),
      ],
      nouns: ["Coffee Beans", "Green Tea", "Olive Oil", "Dark Chocolate", "Granola", "Honey"],
      suffixes: ["", " 500g", " 1kg", " Family Pack"], numbered: false,
      tags: ["bestseller", "fair-trade", "organic", "vegan"]),
  ]

  /// `accessory[c]` is the category whose items a user looks at after buying from
  /// category `c` (phone -> phone-accessory, laptop -> laptop-accessory), or -1.
  static let accessory: [Int] = [1, -1, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1]

  /// Every tag, each once, in order of first appearance in ``categories``.
  static let tagVocabulary: [String] = {
    var seen: [String] = []
    for c in categories {
      for t in c.tags where !seen.contains(t) { seen.append(t) }
    }
    return seen
  }()

  /// `categoryTags[c][k]` is the index in ``tagVocabulary`` of `categories[c].tags[k]`.
  static let categoryTags: [[Int]] = categories.map { c in
    c.tags.map { t in tagVocabulary.firstIndex(of: t) ?? 0 }
  }

  // MARK: - Users

  static let segments = ["bargain", "regular", "premium"]
  /// Share of users in each segment, in percent.
  static let segmentShare = [35, 45, 20]
  /// Additive log-affinity of each segment for each category (index order of
  /// ``categories``): premium users lean to electronics, bargain users to books,
  /// toys, groceries and kitchen.
  static let segmentCategoryBias: [[Double]] = [
    [-0.3, 0.2, -0.6, 0.0, -0.2, 0.4, 0.2, 0.3, 0.0, 0.0, 0.0, 0.4],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0.5, 0.0, 0.6, 0.1, 0.4, -0.2, 0.0, -0.1, 0.1, 0.3, 0.2, -0.3],
  ]
  /// Weight of an item's price position in a user's score, by segment: the score gains
  /// `priceTaste[segment] * (2q - 1)`, so premium users favour dear items and bargain
  /// users cheap ones, within every category.
  static let priceTaste = [-1.5, 0.0, 1.5]
  /// Age shift by segment (years).
  static let segmentAgeShift = [-3.0, 0.0, 5.0]

  static let regions = ["north", "south", "east", "west", "central"]
  /// Share of users in each region, in percent.
  static let regionShare = [25, 20, 20, 15, 20]
  /// The category each region leans to (+0.4 log-affinity), or -1 (central: none).
  static let regionCategory = [8, 9, 5, 10, -1]

  static let genders = ["F", "M", "X"]
  static let genderShare = [47, 47, 6]

  static let devices = ["web", "ios", "android"]
  static let deviceShare = [45, 30, 25]
}
