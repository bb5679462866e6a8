/// `sample:shop`: a synthetic e-commerce dataset with planted structure and documented dirt.
///
/// Three tables, generated from a seed, identical on every machine:
///
/// - `users` (one row per user, ordered by id): `user` string `"U0001"` (zero-padded to
///   four digits, more from 10,000 users), `age` int (missing for some), `gender` string
///   `F`/`M`/`X` (missing for some), `region` string (north, south, east, west, central),
///   `segment` string (bargain, regular, premium).
/// - `items` (one row per item, ordered by id): `item` string `"P0001"`, `title` string
///   ("Nova Phone 12 Pro", "Aero Phone Case Black"), `category` string (12 categories,
///   ``ShopCatalog/categories``), `brand` string, `price` double (two decimals, ending
///   in .99), `tags` string (1-3 tags joined by `|`, sorted, e.g. `"camera|gift"`).
/// - `events` (exactly `events` rows): `user`, `item`, `event` (`view`, `cart`,
///   `purchase`), `rating` int 1-5 (purchases only; missing otherwise), `ts` int (unix
///   seconds in [2026-01-01 00:00 UTC, + 90 days)), `session` int (1, 2, ... in order of
///   the sessions' start times), `device` string (`web`, `ios`, `android`).
///
/// # The process
///
/// Gaussian draws use ``PortableMath`` and every choice uses ``SeededGenerator``, with one
/// sub-stream per step (catalogue 1, users 2, activity 3, dirt 4, user `u`'s behaviour
/// `1000 + u`).
///
/// **Catalogue.** Items are split over the categories in proportion to their shares
/// (at least one each). An item gets a brand of its category at random; the brand's tier
/// (budget, mid, premium) sets the item's *price position* `q = clamp(0.2, 0.5, 0.8 by
/// tier + 0.12 N(0,1), 0, 1)` and its price `low * (high / low)^q` from the category's
/// range, rounded to a whole euro minus one cent. It gets 1-3 distinct tags of its
/// category, and an 8-dimensional factor `v = 0.55 * (sum of its tags' vectors) /
/// sqrt(tag count) + 0.35 N(0, I)`, where each of the tag vocabulary's vectors is
/// N(0, I): about 70% of an item's factor variance is explained by its tags, so content
/// features predict taste. Popularity is Zipf with exponent 1: a random permutation
/// gives each item a rank `r`, and its popularity is `1 / r`.
///
/// **Late items.** `items / 20` items (5%) are introduced at a uniform time in days
/// 80-88 (``lateFrom`` and later); no event touches one before it is introduced. The
/// best-ranked item of each category is never late. ``lateItems`` lists them.
///
/// **Users.** Segment 35/45/20% bargain/regular/premium; region 25/20/20/15/20%; gender
/// F/M/X 47/47/6%; age `round(38 + shift + 12 N(0,1))` clamped to 16-85, with shift -3 /
/// 0 / +5 by segment; a primary device web/ios/android 45/30/25%. A factor
/// `u ~ 0.65 N(0, I)` (so `u . v` has a standard deviation of about 1.2), and a
/// log-affinity per category `a[c] = 0.7 N(0,1) + segment bias + region bias + 1.2 if c is
/// one of the user's two favourite categories` (favourites drawn in proportion to
/// category shares; segment biases in ``ShopCatalog/segmentCategoryBias``: premium leans
/// to phones, laptops and headphones, bargain to books, toys, kitchen and groceries; each
/// region but central adds 0.4 to one category).
///
/// **Which item.** User `u` picks an item `i` of category `c` with probability
/// proportional to `exp(u . v_i + a[c] + t * (2 q_i - 1)) / r_i`, where the price taste
/// `t` is -1.5 / 0 / +1.5 for bargain / regular / premium users (so premium users buy the
/// dearer brands, bargain users the cheaper ones, in every category). Draws are exact
/// (cumulative weights and a binary search); an item not yet introduced at the event's
/// time is redrawn (after 64 such draws in a row, practically never, the most popular
/// item of the category, or of the catalogue, is taken).
///
/// **How many events.** `duplicates = events / 50` rows are duplicates (see the dirt); the
/// other `base = events - duplicates` rows are real events. Every user gets one, and the
/// remaining `base - users` go to users drawn with Zipf-like activity: a random permutation
/// ranks users and user of rank `k` has weight `(k + 20)^-1.5`. At the default size a
/// fifth of the users have fewer than 3 events, the median user has 5 and the busiest
/// about 1,300.
///
/// **Sessions.** A user's events are cut into sessions of `1 + Geometric(0.25)` events
/// (mean 4; the last one takes what is left). Session starts are uniform over the first 89
/// days, sorted, and at least 30 minutes after the end of the user's previous session;
/// events in a session are 8-177 s apart. A session uses the user's primary device with
/// probability 0.8, else a uniformly drawn one.
///
/// **Intent.** Each session has a category in mind, drawn as the user's items are (in
/// proportion to the user's total weight in each category); each newly drawn item of the
/// session comes from it with probability ``intentShare`` (0.75), else from the user's
/// whole distribution; and each new item after the first is, with probability
/// ``relatedShare`` (0.4), one of the previous item's three related items (the items of its
/// category with the closest factors), if it is introduced by then. So the last item a user
/// touched says what they will look at next, which only models that read the order of
/// events can know.
///
/// **Funnel.** A session starts with a view. After a view, the next event carts the same
/// item with probability 0.6; after a cart, the next purchases it with probability 0.8;
/// otherwise (and always after a purchase) the next event views a newly drawn item. So a
/// purchase always follows a cart of its item, which follows a view of it. Overall about
/// 60% of the events are views, 25% carts and 15% purchases.
///
/// **Habit (for sequence models).** If a session contains a purchase from the phone
/// (laptop) category, the user's *next* session is, with probability 0.6, an accessory
/// session: its first newly drawn item comes from phone-accessory (laptop-accessory), and
/// each later one with probability 0.5 (else as the intent and related items say). Nothing
/// else in the data reveals this: only the order of sessions does.
///
/// **Ratings.** A purchase of item `i` is rated `clamp(round(3.7 + 0.6 u . v_i + 0.8
/// N(0,1)), 1, 5)`: mostly 4 and 5, as in real shops, and higher for a better match.
///
/// # Dirt, with exact counts
///
/// With `base` and `duplicates` as above and `P` the number of purchases among the base
/// rows (reported in ``dirt``, which holds every count):
///
/// - **Order.** Base rows are sorted by `ts`, then `base / 20` random pairs of rows at most
///   200 rows apart are swapped (late-arriving log lines). `(user, ts)` identifies a base
///   event: sort by it to recover each user's sequence.
/// - **Duplicates.** `events / 50` (2%) distinct base rows each get an exact copy right
///   after them (client retries). No dirty row is duplicated.
/// - **Missing device:** `base / 100` (1%) base rows.
/// - **Malformed ids:** `base / 1000` (0.1%) base rows; the `k`-th (k = 0, 1, ...) breaks
///   the user id if `k` is even, the item id if odd, as `""`, `"null"`, `"U-1"` / `"P-1"`,
///   the id with a trailing space, or the id in lower case, cycling with `k / 2`. A valid id
///   matches `^U[0-9]{4,}$` (`^P[0-9]{4,}$`).
/// - **Ratings:** `P * 3 / 100` (3%) purchases have no rating; `base / 500` (0.2% of rows)
///   other purchases have an out-of-range rating, cycling through 0, 6, 9, -1 (fewer in
///   a tiny sample without enough purchases: ``dirt`` has the true counts).
/// - **Users:** `users / 50` (2%) users have no age, `users / 100` (1%) no gender.
///
/// All dirty rows are distinct base rows, so the counts add up exactly.
///
/// - Complexity: O(users * items + events log events) time, O(users + items + events)
///   memory: each user's weights over the whole catalogue are computed once.
public struct ShopSample: Sendable {
  /// The sizes and the seed. `events` is the exact row count of ``events``.
  public struct Parameters: Sendable, Equatable {
    public var users = 2_000
    public var items = 800
    public var events = 50_000
    public var seed: UInt64 = 42

    public init(users: Int = 2_000, items: Int = 800, events: Int = 50_000, seed: UInt64 = 42) {
      self.users = users
      self.items = items
      self.events = events
      self.seed = seed
    }
  }

  /// The exact amount of each kind of dirt in the generated tables: the answer key for
  /// the cleaning cells of the tutorial.
  public struct Dirt: Sendable, Equatable {
    /// Rows that are an exact copy of the row before them.
    public var duplicateRows = 0
    /// Pairs of base rows swapped out of time order.
    public var swappedRowPairs = 0
    public var missingDevices = 0
    public var malformedUserIds = 0
    public var malformedItemIds = 0
    /// Purchases (among the base rows) without a rating.
    public var missingRatings = 0
    /// Purchases with a rating outside 1-5.
    public var outOfRangeRatings = 0
    public var missingAges = 0
    public var missingGenders = 0
    /// Purchases among the base rows (`P` in the type's documentation).
    public var basePurchases = 0
  }

  public let users: Table
  public let items: Table
  public let events: Table
  /// The ids of the items introduced late (at ``lateFrom`` or after), sorted.
  public let lateItems: [String]
  public let dirt: Dirt

  /// The names of the three tables, in the order a tutorial introduces them.
  public static let tableNames = ["events", "items", "users"]

  /// The table called `name` (one of ``tableNames``), for `load events from sample:shop`.
  ///
  /// - Throws: ``DataError/invalidArgument(_:)`` naming the tables, and the closest one
  ///   when the name looks like a typo.
  public func table(_ name: String) throws(DataError) -> Table {
    switch name {
    case "events": return events
    case "items": return items
    case "users": return users
    default:
      var message = "sample:shop has no table '\(name)' (tables: \(Self.tableNames.joined(separator: ", ")))"
      if let best = Suggest.closest(to: name, in: Self.tableNames).first {
        message += "; did you mean '\(best)'?"
      }
      throw .invalidArgument(message)
    }
  }

  /// 2026-01-01 00:00:00 UTC, the start of the event window.
  public static let startTime = 1_767_225_600
  /// Length of the event window in days.
  public static let days = 90
  /// Late items are introduced at this time or after (day 80 of the window).
  public static let lateFrom = startTime + 80 * 86_400

  /// Generates the dataset for `p`.
  ///
  /// - Throws: ``DataError/invalidArgument(_:)`` when a size is out of range, naming the
  ///   parameter, its value and the bound.
  public static func generate(_ p: Parameters) throws(DataError) -> ShopSample {
    try validate(p)
    var builder = ShopSampleBuilder(p)
    return builder.build()
  }

  /// The smallest `events` for `users` users: every user needs one base event, and a
  /// fiftieth of the rows are duplicates.
  public static func minimumEvents(users: Int) -> Int {
    var n = users
    while n - n / 50 < users { n += 1 }
    return n
  }

  static let maxUsers = 100_000
  static let maxItems = 20_000
  static let maxEvents = 10_000_000
  /// Generation scores every item for every user; this bounds that work (about a
  /// second in a release build).
  static let maxUserItemPairs = 100_000_000

  static func validate(_ p: Parameters) throws(DataError) {
    let categories = ShopCatalog.categories.count
    guard p.users >= 1, p.users <= maxUsers else {
      throw .invalidArgument("sample:shop users=\(p.users): must be between 1 and \(maxUsers)")
    }
    guard p.items >= categories, p.items <= maxItems else {
      throw .invalidArgument(
        "sample:shop items=\(p.items): must be between \(categories) (one per category) and \(maxItems)")
    }
    let least = minimumEvents(users: p.users)
    guard p.events >= least else {
      throw .invalidArgument(
        "sample:shop events=\(p.events): must be at least \(least) for users=\(p.users)"
          + " (every user has an event, and 2% of the rows are duplicates)")
    }
    guard p.events <= maxEvents else {
      throw .invalidArgument("sample:shop events=\(p.events): must be at most \(maxEvents)")
    }
    guard p.users * p.items <= maxUserItemPairs else {
      throw .invalidArgument(
        "sample:shop users=\(p.users) items=\(p.items): users x items must be at most \(maxUserItemPairs)"
          + " (every user scores every item)")
    }
  }

  init(users: Table, items: Table, events: Table, lateItems: [String], dirt: Dirt) {
    self.users = users
    self.items = items
    self.events = events
    self.lateItems = lateItems
    self.dirt = dirt
  }
}

/// The state of one generation; see ``ShopSample`` for the process it implements.
///
/// Items and users are kept in internal order (items grouped by category, so that a
/// category is a contiguous range of a user's cumulative weights); public ids are a
/// shuffled numbering.
struct ShopSampleBuilder {
  static let dim = 8
  static let day = 86_400
  /// The share of a session's newly drawn items that come from its intent category.
  static let intentShare = 0.75
  /// The share of a session's later items that are one of the previous item's related items.
  static let relatedShare = 0.4
  static let relatedCount = 3

  let p: ShopSample.Parameters
  let categoryCount = ShopCatalog.categories.count

  // Items (internal order).
  var itemCategory: [Int] = []
  /// `categoryStart[c]..<categoryStart[c + 1]` are the items of category `c`.
  var categoryStart: [Int] = []
  var itemBrand: [String] = []
  var itemTitle: [String] = []
  var itemTags: [String] = []
  var itemPrice: [Double] = []
  var itemPricePosition: [Double] = []
  var itemFactor: [Double] = []  // (items, dim), row-major
  var itemRank: [Int] = []  // popularity rank, 1 = most popular
  var itemIntro: [Int] = []  // introduction time (startTime for most)
  var related: [[Int]] = []  // per item: the items of its category closest in factor space
  var itemNumber: [Int] = []  // 0-based public number: id "P" + (number + 1)
  var categoryFallback: [Int] = []  // best-ranked item of each category (never late)
  /// `segmentItemWeight[segment][i] = exp(t * (2 q_i - 1)) / r_i`: the user-independent
  /// part of an item's weight (price taste `t` of the segment, popularity rank `r_i`).
  var segmentItemWeight: [[Double]] = []

  // Users (internal order = id order).
  var userSegment: [Int] = []
  var userRegion: [Int] = []
  var userGender: [Int] = []  // -1 missing
  var userAge: [Int] = []  // Column.missingInt when missing
  var userDevice: [Int] = []
  var userFactor: [Double] = []  // (users, dim)
  var userAffinity: [Double] = []  // (users, categories)
  var userEventCount: [Int] = []

  // Base events, in generation order (user by user, in time order).
  var eUser: [Int32] = []
  var eItem: [Int32] = []
  var eKind: [UInt8] = []  // 0 view, 1 cart, 2 purchase
  var eRating: [Int] = []
  var eTs: [Int] = []
  var eSession: [Int32] = []  // index into sessionStart
  var eDevice: [Int8] = []
  var sessionStart: [Int] = []

  var dirt = ShopSample.Dirt()

  init(_ p: ShopSample.Parameters) { self.p = p }

  func generator(_ stream: UInt64) -> SeededGenerator { SeededGenerator(seed: p.seed, stream: stream) }

  mutating func build() -> ShopSample {
    makeCatalogue()
    makeRelated()
    makeUsers()
    allocateEvents()
    for u in 0..<p.users { makeEvents(user: u) }
    return assemble()
  }

  // MARK: - Catalogue

  /// For each item, the ``relatedCount`` other items of its category whose factors are
  /// closest (largest dot product; ties by index): what a shopper looks at next.
  mutating func makeRelated() {
    let f = itemFactor
    let dim = Self.dim
    related = (0..<p.items).map { i in
      let c = itemCategory[i]
      let scored = (categoryStart[c]..<categoryStart[c + 1]).filter { $0 != i }.map { j in
        var s = 0.0
        for d in 0..<dim { s += f[i * dim + d] * f[j * dim + d] }
        return (s, j)
      }
      return scored.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.prefix(Self.relatedCount).map(\.1)
    }
  }

  mutating func makeCatalogue() {
    var g = generator(1)
    let cats = ShopCatalog.categories
    let n = p.items
    // Item counts: one per category, the rest in proportion to shares, the remainder
    // one at a time in category order.
    var counts = Array(repeating: 1, count: categoryCount)
    let rest = n - categoryCount
    let totalShare = cats.reduce(0) { $0 + $1.share }
    var assigned = 0
    for c in 0..<categoryCount {
      let k = rest * cats[c].share / totalShare
      counts[c] += k
      assigned += k
    }
    var c = 0
    while assigned < rest {
      counts[c % categoryCount] += 1
      assigned += 1
      c += 1
    }
    categoryStart = [0]
    for c in 0..<categoryCount { categoryStart.append(categoryStart[c] + counts[c]) }

    let tagVectors = (0..<ShopCatalog.tagVocabulary.count * Self.dim).map { _ in PortableMath.gaussian(&g) }
    let tierCenter = [0.2, 0.5, 0.8]
    for c in 0..<categoryCount {
      let cat = cats[c]
      for _ in 0..<counts[c] {
        itemCategory.append(c)
        let brand = cat.brands[g.nextInt(below: cat.brands.count)]
        itemBrand.append(brand.name)
        let q = min(max(tierCenter[brand.tier] + 0.12 * PortableMath.gaussian(&g), 0), 1)
        itemPricePosition.append(q)
        let raw = cat.low * PortableMath.exp(q * PortableMath.log(cat.high / cat.low))
        itemPrice.append((max(raw.rounded(), 1) * 100 - 1) / 100)

        var title = brand.name + " " + cat.nouns[g.nextInt(below: cat.nouns.count)]
        if cat.numbered { title += " \(2 + g.nextInt(below: 14))" }
        title += cat.suffixes[g.nextInt(below: cat.suffixes.count)]
        itemTitle.append(title)

        // 1-3 distinct tags: a partial Fisher-Yates shuffle of the category's tags.
        var pool = Array(0..<cat.tags.count)
        let k = 1 + g.nextInt(below: 3)
        for j in 0..<k {
          let pick = j + g.nextInt(below: pool.count - j)
          pool.swapAt(j, pick)
        }
        let chosen = pool[0..<k].map { ShopCatalog.categoryTags[c][$0] }
        itemTags.append(chosen.map { ShopCatalog.tagVocabulary[$0] }.sorted().joined(separator: "|"))
        let scale = 0.55 / Double(k).squareRoot()
        for d in 0..<Self.dim {
          var x = 0.0
          for t in chosen { x += tagVectors[t * Self.dim + d] }
          itemFactor.append(scale * x + 0.35 * PortableMath.gaussian(&g))
        }
      }
    }

    var ranks = Array(1...n)
    g.shuffle(&ranks)
    itemRank = ranks
    categoryFallback = (0..<categoryCount).map { c in
      var best = categoryStart[c]
      for i in categoryStart[c]..<categoryStart[c + 1] where itemRank[i] < itemRank[best] { best = i }
      return best
    }

    segmentItemWeight = ShopCatalog.priceTaste.map { t in
      (0..<n).map { i in PortableMath.exp(t * (2 * itemPricePosition[i] - 1)) / Double(itemRank[i]) }
    }

    itemIntro = Array(repeating: ShopSample.startTime, count: n)
    var order = Array(0..<n)
    g.shuffle(&order)
    var late = 0
    for i in order where late < n / 20 && !categoryFallback.contains(i) {
      itemIntro[i] = ShopSample.lateFrom + g.nextInt(below: 8 * Self.day)
      late += 1
    }

    var numbers = Array(0..<n)
    g.shuffle(&numbers)
    itemNumber = numbers
  }

  // MARK: - Users

  mutating func makeUsers() {
    var g = generator(2)
    let n = p.users
    let cats = ShopCatalog.categories
    let shares = cats.map(\.share)
    for _ in 0..<n {
      let segment = Self.pick(ShopCatalog.segmentShare, &g)
      let region = Self.pick(ShopCatalog.regionShare, &g)
      userSegment.append(segment)
      userRegion.append(region)
      userGender.append(Self.pick(ShopCatalog.genderShare, &g))
      let age = (38 + ShopCatalog.segmentAgeShift[segment] + 12 * PortableMath.gaussian(&g)).rounded()
      userAge.append(min(max(Int(age), 16), 85))
      userDevice.append(Self.pick(ShopCatalog.deviceShare, &g))
      for _ in 0..<Self.dim { userFactor.append(0.65 * PortableMath.gaussian(&g)) }
      let first = Self.pick(shares, &g)
      var second = Self.pick(shares, &g)
      while second == first { second = Self.pick(shares, &g) }
      for c in 0..<categoryCount {
        var a = 0.7 * PortableMath.gaussian(&g) + ShopCatalog.segmentCategoryBias[segment][c]
        if ShopCatalog.regionCategory[region] == c { a += 0.4 }
        if c == first || c == second { a += 1.2 }
        userAffinity.append(a)
      }
    }
    var order = Array(0..<n)
    g.shuffle(&order)
    dirt.missingAges = n / 50
    for u in order[0..<dirt.missingAges] { userAge[u] = Column.missingInt }
    g.shuffle(&order)
    dirt.missingGenders = n / 100
    for u in order[0..<dirt.missingGenders] { userGender[u] = -1 }
  }

  /// One event per user, the rest by Zipf-like activity (see ``ShopSample``).
  mutating func allocateEvents() {
    var g = generator(3)
    let n = p.users
    var rank = Array(1...n)
    g.shuffle(&rank)
    var cumulative = [Double]()
    cumulative.reserveCapacity(n)
    var acc = 0.0
    for u in 0..<n {
      acc += PortableMath.exp(-1.5 * PortableMath.log(Double(rank[u] + 20)))
      cumulative.append(acc)
    }
    userEventCount = Array(repeating: 1, count: n)
    let base = p.events - p.events / 50
    for _ in 0..<(base - n) {
      userEventCount[Self.search(cumulative, 0, n, g.nextDouble())] += 1
    }
  }

  // MARK: - Events

  /// Cumulative weights of every item for user `u` (internal item order):
  /// `out[i] = sum over j <= i of exp(u . v_j) * exp(a[c_j]) * itemWeight[segment][j]`.
  ///
  /// The hot loop of the generator (users x items): the category factor is hoisted out
  /// of each category's contiguous range, the dot product is unrolled (dim is 8), and
  /// arrays are read through buffer pointers so that debug builds stay fast too.
  func cumulativeWeights(user u: Int, into out: inout [Double]) {
    let dim = Self.dim
    let f = Array(userFactor[(u * dim)..<(u * dim + dim)])
    let f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4], f5 = f[5], f6 = f[6], f7 = f[7]
    let weights = segmentItemWeight[userSegment[u]]
    var acc = 0.0
    out.withUnsafeMutableBufferPointer { out in
      itemFactor.withUnsafeBufferPointer { v in
        weights.withUnsafeBufferPointer { w in
          for c in 0..<categoryCount {
            let categoryWeight = PortableMath.exp(userAffinity[u * categoryCount + c])
            for i in categoryStart[c]..<categoryStart[c + 1] {
              let o = i * dim
              var s = f0 * v[o] + f1 * v[o + 1]
              s += f2 * v[o + 2] + f3 * v[o + 3]
              s += f4 * v[o + 4] + f5 * v[o + 5]
              s += f6 * v[o + 6] + f7 * v[o + 7]
              acc += PortableMath.exp(s) * categoryWeight * w[i]
              out[i] = acc
            }
          }
        }
      }
    }
  }

  func affinity(user u: Int, item i: Int) -> Double {
    var s = 0.0
    for d in 0..<Self.dim { s += userFactor[u * Self.dim + d] * itemFactor[i * Self.dim + d] }
    return s
  }

  mutating func makeEvents(user u: Int) {
    var g = generator(1000 + UInt64(u))
    var cdf = [Double](repeating: 0, count: p.items)
    cumulativeWeights(user: u, into: &cdf)

    // Session lengths, then start times.
    var lengths: [Int] = []
    var remaining = userEventCount[u]
    while remaining > 0 {
      var length = 1
      while g.nextDouble() >= 0.25 && length < 40 { length += 1 }
      length = min(length, remaining)
      lengths.append(length)
      remaining -= length
    }
    var starts = (0..<lengths.count).map { _ in g.nextInt(below: 89 * Self.day) }
    starts.sort()

    let windowEnd = ShopSample.startTime + ShopSample.days * Self.day
    var previousEnd = Int.min / 2
    var pendingAccessory = -1
    for (s, length) in lengths.enumerated() {
      var t = max(ShopSample.startTime + starts[s], previousEnd + 1_800)
      let session = Int32(sessionStart.count)
      sessionStart.append(t)
      let device = g.nextDouble() < 0.8 ? userDevice[u] : g.nextInt(below: 3)
      let accessory = pendingAccessory >= 0 && g.nextDouble() < 0.6 ? pendingAccessory : -1
      pendingAccessory = -1
      // The session's intent: a category drawn as the user's items are (by total weight).
      let intent = itemCategory[Self.search(cdf, 0, p.items, g.nextDouble())]
      var kind = -1
      var item = 0
      var drawn = 0
      for e in 0..<length {
        if e > 0 { t += 8 + g.nextInt(below: 170) }
        let ts = min(t, windowEnd - 1)
        if kind == 0 && g.nextDouble() < 0.6 {
          kind = 1
        } else if kind == 1 && g.nextDouble() < 0.8 {
          kind = 2
        } else {
          kind = 0
          let category: Int
          var next = -1
          if accessory >= 0 && (drawn == 0 || g.nextDouble() < 0.5) {
            category = accessory
          } else {
            category = g.nextDouble() < Self.intentShare ? intent : -1
            if drawn > 0 && !related[item].isEmpty && g.nextDouble() < Self.relatedShare {
              next = related[item][g.nextInt(below: related[item].count)]
            }
          }
          item = next >= 0 && itemIntro[next] <= ts ? next : draw(cdf, category: category, at: ts, &g)
          drawn += 1
        }
        var rating = Column.missingInt
        if kind == 2 {
          let latent = 3.7 + 0.6 * affinity(user: u, item: item) + 0.8 * PortableMath.gaussian(&g)
          rating = min(max(Int(latent.rounded()), 1), 5)
          let next = ShopCatalog.accessory[itemCategory[item]]
          if next >= 0 { pendingAccessory = next }
        }
        eUser.append(Int32(u))
        eItem.append(Int32(item))
        eKind.append(UInt8(kind))
        eRating.append(rating)
        eTs.append(ts)
        eSession.append(session)
        eDevice.append(Int8(device))
      }
      previousEnd = t
    }
  }

  /// An item from the user's distribution (restricted to `category` if it is not -1)
  /// that is already introduced at time `ts`; after 64 unlucky draws, the category's
  /// (or the catalogue's) most popular item, which is never late.
  func draw(_ cdf: [Double], category: Int, at ts: Int, _ g: inout SeededGenerator) -> Int {
    let lo = category >= 0 ? categoryStart[category] : 0
    let hi = category >= 0 ? categoryStart[category + 1] : p.items
    for _ in 0..<64 {
      let i = Self.search(cdf, lo, hi, g.nextDouble())
      if itemIntro[i] <= ts { return i }
    }
    if category >= 0 { return categoryFallback[category] }
    return itemRank.firstIndex(of: 1) ?? 0
  }

  // MARK: - Dirt and tables

  mutating func assemble() -> ShopSample {
    var g = generator(4)
    let base = eUser.count
    let duplicates = p.events / 50
    precondition(base + duplicates == p.events, "event allocation is off")

    // Time order (ties by generation order, so the sort is deterministic), then swaps.
    // Sorting packed keys (ts offset above, row below 2^24 > maxEvents) is a plain
    // integer sort: much faster than a comparison closure in debug builds.
    var order = (0..<base).map { (eTs[$0] - ShopSample.startTime) << 24 | $0 }
    order.sort()
    for k in 0..<base { order[k] &= (1 << 24) - 1 }
    dirt.swappedRowPairs = base / 20
    for _ in 0..<dirt.swappedRowPairs {
      let i = g.nextInt(below: base)
      let j = min(i + 1 + g.nextInt(below: 200), base - 1)
      order.swapAt(i, j)
    }

    // Disjoint sets of base rows: duplicated, device missing, malformed ids, ratings.
    var rows = Array(0..<base)
    g.shuffle(&rows)
    var cursor = 0
    var duplicated = [Bool](repeating: false, count: base)
    for r in rows[cursor..<(cursor + duplicates)] { duplicated[r] = true }
    cursor += duplicates
    dirt.duplicateRows = duplicates

    var device = eDevice
    dirt.missingDevices = base / 100
    for r in rows[cursor..<(cursor + dirt.missingDevices)] { device[r] = -1 }
    cursor += dirt.missingDevices

    // Malformed ids: (row, replacement) for the user and item columns.
    let userWidth = max(4, String(p.users).count)
    let itemWidth = max(4, String(p.items).count)
    var badUser: [(Int, String)] = []
    var badItem: [(Int, String)] = []
    for k in 0..<(base / 1000) {
      let r = rows[cursor + k]
      let isUser = k % 2 == 0
      let id =
        isUser
        ? Self.id("U", Int(eUser[r]), userWidth) : Self.id("P", itemNumber[Int(eItem[r])], itemWidth)
      let variants = ["", "null", isUser ? "U-1" : "P-1", id + " ", id.lowercased()]
      let bad = variants[(k / 2) % variants.count]
      if isUser { badUser.append((r, bad)) } else { badItem.append((r, bad)) }
    }
    cursor += base / 1000
    dirt.malformedUserIds = badUser.count
    dirt.malformedItemIds = badItem.count

    var rating = eRating
    dirt.basePurchases = eKind.reduce(0) { $0 + ($1 == 2 ? 1 : 0) }
    let missingRatings = dirt.basePurchases * 3 / 100
    let outOfRange = base / 500
    let outOfRangeValues = [0, 6, 9, -1]
    for r in rows[cursor...] where eKind[r] == 2 {
      if dirt.missingRatings < missingRatings {
        rating[r] = Column.missingInt
        dirt.missingRatings += 1
      } else if dirt.outOfRangeRatings < outOfRange {
        rating[r] = outOfRangeValues[dirt.outOfRangeRatings % outOfRangeValues.count]
        dirt.outOfRangeRatings += 1
      } else {
        break
      }
    }

    // Final row order: each duplicated row is followed by its copy.
    var final = [Int]()
    final.reserveCapacity(p.events)
    for r in order {
      final.append(r)
      if duplicated[r] { final.append(r) }
    }

    // Sessions renumbered 1, 2, ... by start time (ties by user: unique keys).
    // Sessions are generated user by user, so among equal start times the session index
    // orders them by user.
    var sessionOrder = (0..<sessionStart.count).map { (sessionStart[$0] - ShopSample.startTime) << 24 | $0 }
    sessionOrder.sort()
    var sessionNumber = [Int](repeating: 0, count: sessionStart.count)
    for (k, key) in sessionOrder.enumerated() { sessionNumber[key & ((1 << 24) - 1)] = k + 1 }

    let userIds = (0..<p.users).map { Self.id("U", $0, userWidth) }
    var itemIds = [String](repeating: "", count: p.items)
    for i in 0..<p.items { itemIds[i] = Self.id("P", itemNumber[i], itemWidth) }

    let userColumn = Self.stringColumn(
      final.map { Int(eUser[$0]) }, dictionary: userIds, overrides: badUser, rows: final)
    let itemColumn = Self.stringColumn(
      final.map { Int(eItem[$0]) }, dictionary: itemIds, overrides: badItem, rows: final)
    let kinds = ["view", "cart", "purchase"]
    let events = Table(columns: [
      ("user", userColumn),
      ("item", itemColumn),
      (
        "event",
        Self.stringColumn(final.map { Int(eKind[$0]) }, dictionary: kinds, overrides: [], rows: final)
      ),
      ("rating", Column(ints: final.map { rating[$0] })),
      ("ts", Column(ints: final.map { eTs[$0] })),
      ("session", Column(ints: final.map { sessionNumber[Int(eSession[$0])] })),
      (
        "device",
        Self.stringColumn(
          final.map { Int(device[$0]) }, dictionary: ShopCatalog.devices, overrides: [], rows: final)
      ),
    ])

    let users = Table(columns: [
      ("user", Column(strings: userIds)),
      ("age", Column(ints: userAge)),
      ("gender", Column(strings: userGender.map { $0 < 0 ? nil : ShopCatalog.genders[$0] })),
      ("region", Column(strings: userRegion.map { ShopCatalog.regions[$0] })),
      ("segment", Column(strings: userSegment.map { ShopCatalog.segments[$0] })),
    ])

    // Items table in id order.
    var byNumber = [Int](repeating: 0, count: p.items)
    for i in 0..<p.items { byNumber[itemNumber[i]] = i }
    let items = Table(columns: [
      ("item", Column(strings: byNumber.map { itemIds[$0] })),
      ("title", Column(strings: byNumber.map { itemTitle[$0] })),
      ("category", Column(strings: byNumber.map { ShopCatalog.categories[itemCategory[$0]].name })),
      ("brand", Column(strings: byNumber.map { itemBrand[$0] })),
      ("price", Column(doubles: byNumber.map { itemPrice[$0] })),
      ("tags", Column(strings: byNumber.map { itemTags[$0] })),
    ])

    let late = (0..<p.items).filter { itemIntro[$0] >= ShopSample.lateFrom }.map { itemIds[$0] }.sorted()
    return ShopSample(users: users, items: items, events: events, lateItems: late, dirt: dirt)
  }

  // MARK: - Helpers

  /// `prefix` and `number + 1` zero-padded to `width` digits: `id("U", 0, 4) == "U0001"`.
  static func id(_ prefix: String, _ number: Int, _ width: Int) -> String {
    let digits = String(number + 1)
    return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  /// A string column from codes into `dictionary` (negative: missing), with some rows'
  /// values replaced by `overrides` (base row, text), dictionary-encoded in order of first
  /// appearance exactly as `Column(strings:)` would, without hashing every row.
  static func stringColumn(_ codes: [Int], dictionary: [String], overrides: [(Int, String)], rows: [Int])
    -> Column
  {
    // Override texts get codes after the dictionary's; equal texts share a code.
    var extra: [String] = []
    var overrideCode = [Int](repeating: -2, count: overrides.isEmpty ? 0 : (rows.max() ?? 0) + 1)
    for (r, text) in overrides {
      if let k = dictionary.firstIndex(of: text) {
        overrideCode[r] = k
      } else if let k = extra.firstIndex(of: text) {
        overrideCode[r] = dictionary.count + k
      } else {
        overrideCode[r] = dictionary.count + extra.count
        extra.append(text)
      }
    }
    let all = dictionary + extra
    var remap = [Int32](repeating: -1, count: all.count)
    var used: [String] = []
    var out = [Int32](repeating: -1, count: codes.count)
    // Plain indexed loop over buffers: this runs once per row and column.
    out.withUnsafeMutableBufferPointer { out in
      codes.withUnsafeBufferPointer { codes in
        var k = 0
        while k < codes.count {
          var code = codes[k]
          if !overrideCode.isEmpty, overrideCode[rows[k]] != -2 { code = overrideCode[rows[k]] }
          if code >= 0 {
            if remap[code] < 0 {
              remap[code] = Int32(used.count)
              used.append(all[code])
            }
            out[k] = remap[code]
          }
          k += 1
        }
      }
    }
    return Column(codes: out, dictionary: used)
  }

  /// The index of a share drawn in proportion to `shares`.
  static func pick(_ shares: [Int], _ g: inout SeededGenerator) -> Int {
    var r = g.nextInt(below: shares.reduce(0, +))
    for (k, s) in shares.enumerated() {
      if r < s { return k }
      r -= s
    }
    return shares.count - 1
  }

  /// The first index in `lo..<hi` whose cumulative weight exceeds the point `u` (in
  /// [0, 1)) of the way from `cdf[lo - 1]` (0 if `lo == 0`) to `cdf[hi - 1]`.
  static func search(_ cdf: [Double], _ lo: Int, _ hi: Int, _ u: Double) -> Int {
    let floor = lo == 0 ? 0 : cdf[lo - 1]
    let x = floor + u * (cdf[hi - 1] - floor)
    var a = lo
    var b = hi - 1
    while a < b {
      let m = (a + b) / 2
      if cdf[m] > x { b = m } else { a = m + 1 }
    }
    return a
  }
}
