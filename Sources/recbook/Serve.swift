import ArgumentParser
import Foundation
import Logging
import Notebook
import RecModels
import RecServe

/// `recbook serve FILE [--port N] [--host H]`: serve a saved model file over HTTP until
/// Ctrl-C or SIGTERM, logging one line per request to standard error.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve a saved model file over HTTP (GET /v1/recommend?user=ID&k=10 ...).")

  @Argument(help: "A model file written by 'save model NAME to PATH'.")
  var file: String

  @ArgumentParser.Option(help: "The TCP port (0: any free port).")
  var port: Int = 8080

  @ArgumentParser.Option(help: "The address to listen on.")
  var host: String = "127.0.0.1"

  @ArgumentParser.Option(help: "GET /v1/recommend answers kept for repeated requests (0: none).")
  var cache: Int = RecServer.defaultCacheEntries

  func validate() throws {
    guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    guard cache >= 0 else { throw ValidationError("--cache must be 0 or more") }
  }

  func run() throws {
    // This process only serves: its tasks run on the event loops that own the sockets, with no
    // thread hop per request (RecServer.runTasksOnEventLoops). First, before any task exists.
    RecServer.runTasksOnEventLoops()
    let model: TrainedModel
    do {
      model = try TrainedModel.load(from: file)
    } catch {
      FileHandle.standardError.write(Data("recbook serve: \(error)\n".utf8))
      throw fail(1)
    }
    var logger = Logger(label: "recbook.serve")
    logger.logLevel = .info
    let server = RecServer(service: model, host: host, port: port, logger: logger, cacheEntries: cache)
    do {
      try server.run { status in
        let line =
          "serving \(model.info.name) (\(model.info.type), \(model.info.users) users, \(model.info.items) items) at \(status.address ?? "?")\n"
        FileHandle.standardOutput.write(Data(line.utf8))
      }
    } catch {
      FileHandle.standardError.write(Data("recbook serve: \(error)\n".utf8))
      throw fail(1)
    }
  }
}
