//! Group commit: requests hand their validated report to one writer thread, which stores every
//! report waiting at that moment in one transaction — one fsync (`synchronous = FULL` stays) for
//! the batch — and only then answers each request. A report is acknowledged only once its batch
//! is on disk, so a crash loses no acknowledged report; under load, batches grow and the fsync
//! cost is shared (docs/deploy.md has the figures).

use tokio::sync::{mpsc, oneshot};

use crate::store::{Store, Stored, Submission};

/// At most this many reports share a commit (a bound on the latency one batch adds).
pub const MAX_BATCH: usize = 512;
/// Reports waiting for the writer; a request waits (backpressure) when the queue is full.
const QUEUE: usize = 4096;

struct Job {
    submission: Submission,
    reply: oneshot::Sender<Result<Stored, String>>,
}

/// The handle requests store reports through.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread, which owns `store` (its own connection to the database).
    pub fn start(store: Store) -> std::io::Result<Writer> {
        let (jobs, queue) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("reachcheck-writer".into())
            .spawn(move || write_batches(store, queue))?;
        Ok(Writer { jobs })
    }

    /// Stores the report and returns once it is committed (or why it could not be).
    pub async fn store(&self, submission: Submission) -> Result<Stored, String> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job { submission, reply }).await.map_err(|_| "the writer has stopped".to_owned())?;
        answer.await.map_err(|_| "the writer has stopped".to_owned())?
    }
}

fn write_batches(mut store: Store, mut queue: mpsc::Receiver<Job>) {
    // Waits for a first report, then takes every report already waiting: under load the batch
    // is what arrived during the previous commit.
    while let Some(first) = queue.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let submissions: Vec<&Submission> = batch.iter().map(|job| &job.submission).collect();
        let outcomes = store.insert_batch(&submissions);
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            // A request that gave up (its client left) no longer waits for the answer.
            let _ = job.reply.send(outcome);
        }
    }
}
