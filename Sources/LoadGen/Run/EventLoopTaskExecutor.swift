import NIOCore

/// A task executor running jobs on one NIO event loop.
///
/// The fleets' tasks (tickers, lanes, the clients' sends, pull loops and
/// consumer tasks) prefer the event loop of their connection: a response then
/// resumes its task on the thread that read it, and a tick's sends reach the
/// channel in one pass of the loop and leave in one write. On the global pool
/// every message would cost a thread hand-over each way.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
