import RecData

/// `csv-load`: loads one ratings CSV (user,item,rating,timestamp; written by
/// bench/csv_load.py) and prints the time, the peak resident memory and the
/// in-memory size of the columns. Run each size in a fresh process, so the peak
/// is this load's.
enum CSVLoadBench {
  static func run(_ arguments: [String]) -> Int32 {
    let rows = BenchSupport.option("rows", in: arguments).flatMap { Int($0) } ?? 1_000_000
    let dir = BenchSupport.option("dir", in: arguments) ?? "bench/data"
    let path = BenchSupport.option("file", in: arguments) ?? "\(dir)/ratings_\(rows).csv"
    var options = CSVOptions()
    options.threads = BenchSupport.option("threads", in: arguments).flatMap { Int($0) }
    let start = BenchSupport.now()
    let cpuStart = BenchSupport.cpuSeconds()
    let table: Table
    do throws(DataError) {
      (table, _) = try CSVReader.read(path: path, options: options)
    } catch {
      print("csv-load: \(error.message) (bench/csv_load.py writes the files)")
      return 1
    }
    let seconds = BenchSupport.now() - start
    let cpu = BenchSupport.cpuSeconds() - cpuStart
    let peak = BenchSupport.peakRSSMegabytes()
    let columnsMB = Double(table.byteSize) / 1e6
    let types = table.columns.map { "\"\($0.type)\"" }.joined(separator: ",")
    print(
      "{\"bench\":\"csv-load\",\"rows\":\(table.rowCount),\"seconds\":\(rounded(seconds, 4)),"
        + "\"cpu_seconds\":\(rounded(cpu, 4)),"
        + "\"peak_rss_mb\":\(rounded(peak, 1)),\"columns_mb\":\(rounded(columnsMB, 1)),"
        + "\"threads\":\(options.threads.map(String.init) ?? "null"),\"types\":[\(types)]}")
    return 0
  }

  static func rounded(_ x: Double, _ digits: Int) -> Double {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    return (x * p).rounded() / p
  }
}
