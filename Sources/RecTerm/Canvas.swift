/// A character grid for plots: braille dots (2×4 per cell) with marker characters on top.
///
/// Braille patterns U+2800...U+28FF encode eight dots in one character; a cell's
/// dot at `(dx, dy)` (0...1, 0...3) is bit ``dotBits``[dy][dx]. Marker characters
/// (`*`, `+`, ...) are drawn over the dots: ASCII plots use only markers, and
/// Unicode plots use them to tell several series apart when there is no colour.
/// Each cell remembers the last series that touched it, for colouring.
struct Canvas {
  /// Size in cells.
  let width: Int
  let height: Int
  private var dots: [UInt8]
  private var markers: [Character?]
  private var owner: [Int]

  /// Braille bit for the dot at column `dx`, row `dy` of a cell (Unicode 8-dot order).
  static let dotBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

  init(width: Int, height: Int) {
    self.width = max(1, width)
    self.height = max(1, height)
    dots = Array(repeating: 0, count: self.width * self.height)
    markers = Array(repeating: nil, count: self.width * self.height)
    owner = Array(repeating: -1, count: self.width * self.height)
  }

  /// Dot resolution.
  var dotWidth: Int { width * 2 }
  var dotHeight: Int { height * 4 }

  /// Sets the dot at `(x, y)` in dot coordinates; points off the canvas are ignored.
  mutating func setDot(x: Int, y: Int, series: Int) {
    guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
    let i = (y / 4) * width + x / 2
    dots[i] |= Canvas.dotBits[y % 4][x % 2]
    owner[i] = series
  }

  /// Puts a marker in the cell at `(column, row)`; cells off the canvas are ignored.
  mutating func setMarker(column: Int, row: Int, _ marker: Character, series: Int) {
    guard column >= 0, row >= 0, column < width, row < height else { return }
    markers[row * width + column] = marker
    owner[row * width + column] = series
  }

  /// Bresenham's line between two dots.
  mutating func dotLine(from a: (Int, Int), to b: (Int, Int), series: Int) {
    Canvas.bresenham(from: a, to: b) { setDot(x: $0, y: $1, series: series) }
  }

  /// Bresenham's line of markers between two cells.
  mutating func markerLine(from a: (Int, Int), to b: (Int, Int), _ marker: Character, series: Int) {
    Canvas.bresenham(from: a, to: b) { setMarker(column: $0, row: $1, marker, series: series) }
  }

  /// Calls `plot` for each point of the integer line from `a` to `b`, ends included.
  static func bresenham(from a: (Int, Int), to b: (Int, Int), _ plot: (Int, Int) -> Void) {
    var (x, y) = a
    let dx = abs(b.0 - x)
    let dy = -abs(b.1 - y)
    let sx = x < b.0 ? 1 : -1
    let sy = y < b.1 ? 1 : -1
    var err = dx + dy
    while true {
      plot(x, y)
      if x == b.0 && y == b.1 { return }
      let e2 = 2 * err
      if e2 >= dy {
        err += dy
        x += sx
      }
      if e2 <= dx {
        err += dx
        y += sy
      }
    }
  }

  /// Row `r` as text, `width` columns: markers, else braille (Unicode), else spaces;
  /// each non-blank cell coloured by its series when the style has colour.
  func row(_ r: Int, style: RenderStyle) -> String {
    var out = ""
    for c in 0..<width {
      let i = r * width + c
      var glyph = " "
      if let m = markers[i] {
        glyph = String(m)
      } else if style.unicode && dots[i] != 0 {
        glyph = String(Character(Unicode.Scalar(0x2800 + UInt32(dots[i])) ?? " "))
      }
      if glyph != " " && owner[i] >= 0 {
        glyph = style.colored(glyph, Plot.color(owner[i]))
      }
      out += glyph
    }
    return out
  }
}
