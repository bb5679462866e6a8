import Foundation
import Synchronization

/// Ctrl-C, done as PLATFORM.md measured: a `sigaction` handler (without
/// SA_RESTART) that only sets an atomic flag, which is safe in a signal handler.
/// Long work polls the flag through `CellContext.isCancelled`; at the prompt,
/// readline's event hook sees it and discards the half-typed line.
enum Interrupt {
  static let flag = Atomic<Bool>(false)

  static var isSet: Bool { flag.load(ordering: .relaxed) }
  static func reset() { flag.store(false, ordering: .relaxed) }

  /// Installs the SIGINT handler.
  static func install() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in Interrupt.flag.store(true, ordering: .relaxed) }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    // A parent may start us with SIGINT blocked (tmux's server does); unblock it, or
    // Ctrl-C would never arrive.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigprocmask(SIG_UNBLOCK, &set, nil)
  }
}
