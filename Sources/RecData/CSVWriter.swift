#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

#if canImport(Glibc)
  private let systemWrite = Glibc.write
#elseif canImport(Darwin)
  private let systemWrite = Darwin.write
#endif

/// Writes a ``Table`` as CSV that ``CSVReader`` reads back to an equal table.
///
/// A header row with the column names, then one row per table row, LF line ends.
/// Ints are written in decimal, doubles in their shortest round-trip form with a
/// `.` or exponent (`3.0`, `0.1`, `1e+20`) so the column reads back as double,
/// and missing values as empty fields. A field is quoted (RFC 4180, `"` doubled)
/// when it holds the separator, a quote, CR or LF, or when it would otherwise read
/// back as missing (a missing-value token such as `NA`).
///
/// What does not round-trip: an empty string reads back as missing; a string
/// column whose every value looks like a number reads back as a number column;
/// a column of missing values only reads back as a string column.
///
/// The file is written to a temporary name beside `path` and renamed into place,
/// so a failure never leaves half a file.
public enum CSVWriter {
  public static func write(_ t: Table, to path: String, separator: UInt8 = 0x2C) throws(DataError) {
    let tmp = path + ".tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw .io(path: path, message: String(cString: strerror(errno))) }
    var out = [UInt8]()
    out.reserveCapacity(1 << 20)
    var failed: Int32 = 0
    func flush(force: Bool) {
      guard force || out.count >= 1 << 20, failed == 0 else { return }
      let ok = out.withUnsafeBytes { b -> Bool in
        guard let start = b.baseAddress else { return true }
        var done = 0
        while done < b.count {
          let n = systemWrite(fd, start + done, b.count - done)
          if n <= 0 { return false }
          done += n
        }
        return true
      }
      if !ok { failed = errno == 0 ? EIO : errno }
      out.removeAll(keepingCapacity: true)
    }
    for (k, name) in t.columnNames.enumerated() {
      if k > 0 { out.append(separator) }
      appendString(name, to: &out, separator: separator)
    }
    out.append(0x0A)
    for r in 0..<t.rowCount {
      for (k, column) in t.columns.enumerated() {
        if k > 0 { out.append(separator) }
        switch column.storage {
        case .int(let v):
          if v[r] != Column.missingInt { out.append(contentsOf: String(v[r]).utf8) }
        case .double(let v):
          if !v[r].isNaN { out.append(contentsOf: formatDouble(v[r]).utf8) }
        case .string(let codes, let dictionary):
          if codes[r] >= 0 { appendString(dictionary[Int(codes[r])], to: &out, separator: separator) }
        }
      }
      out.append(0x0A)
      flush(force: false)
    }
    flush(force: true)
    if failed == 0 && fsync(fd) != 0 { failed = errno }
    close(fd)
    if failed != 0 {
      unlink(tmp)
      throw .io(path: path, message: String(cString: strerror(failed)))
    }
    if rename(tmp, path) != 0 {
      let e = errno
      unlink(tmp)
      throw .io(path: path, message: String(cString: strerror(e)))
    }
  }

  /// Shortest text that reads back as the same double, always with `.` or `e`
  /// (so `3` is `3.0`); infinities as `inf` / `-inf`.
  static func formatDouble(_ v: Double) -> String {
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    let s = "\(v)"
    return s.contains(where: { $0 == "." || $0 == "e" }) ? s : s + ".0"
  }

  private static func appendString(_ s: String, to out: inout [UInt8], separator: UInt8) {
    let bytes = s.utf8
    let needsQuotes =
      CSVField.isMissingToken(s)
      || bytes.contains { $0 == separator || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
      || bytes.first == 0x22
    guard needsQuotes else {
      out.append(contentsOf: bytes)
      return
    }
    out.append(0x22)
    for b in bytes {
      if b == 0x22 { out.append(0x22) }
      out.append(b)
    }
    out.append(0x22)
  }
}
