//! Which probe may start next: all endpoints run concurrently, within a small global cap and
//! at most a couple per host, so a run takes about as long as its slowest timeout and can never
//! be used to flood anyone. Browsers queue connections per host:port (a request behind a
//! blackholed one waits seconds), so the per-host cap also keeps timings honest.

use std::collections::{HashMap, VecDeque};

/// At most this many probes in flight in the whole page (each to another host: an ordinary web
/// page opens more connections than this). 16 made a run of the built-in catalog on a network
/// like Russia's in 2026 take 1.4 × its largest timeout, probes of 8 s waiting behind the
/// 15 s ones (`./x bench`).
pub const MAX_IN_FLIGHT: usize = 24;
/// At most this many probes in flight to one host:port.
pub const MAX_PER_HOST: usize = 2;

/// A queue of jobs, each tied to a host key, released within the caps.
#[derive(Debug)]
pub struct Scheduler<T> {
    queue: VecDeque<(String, T)>,
    per_host: HashMap<String, usize>,
    in_flight: usize,
    peak_in_flight: usize,
    max_in_flight: usize,
    max_per_host: usize,
}

impl<T> Scheduler<T> {
    pub fn new(max_in_flight: usize, max_per_host: usize) -> Self {
        Scheduler {
            queue: VecDeque::new(),
            per_host: HashMap::new(),
            in_flight: 0,
            peak_in_flight: 0,
            max_in_flight: max_in_flight.max(1),
            max_per_host: max_per_host.max(1),
        }
    }

    pub fn push(&mut self, host_key: String, job: T) {
        self.queue.push_back((host_key, job));
    }

    /// The first queued job that fits the caps, now counted as in flight.
    pub fn next_ready(&mut self) -> Option<(String, T)> {
        if self.in_flight >= self.max_in_flight {
            return None;
        }
        let index = self
            .queue
            .iter()
            .position(|(host, _)| self.per_host.get(host).copied().unwrap_or(0) < self.max_per_host)?;
        let (host, job) = self.queue.remove(index)?;
        *self.per_host.entry(host.clone()).or_default() += 1;
        self.in_flight += 1;
        self.peak_in_flight = self.peak_in_flight.max(self.in_flight);
        Some((host, job))
    }

    /// Marks a job of `host_key` finished, freeing its place.
    pub fn finished(&mut self, host_key: &str) {
        if let Some(count) = self.per_host.get_mut(host_key) {
            *count -= 1;
            if *count == 0 {
                self.per_host.remove(host_key);
            }
            self.in_flight -= 1;
        }
    }

    /// Drops every queued job (cancel); jobs in flight still report `finished`.
    pub fn clear_queue(&mut self) -> Vec<T> {
        self.queue.drain(..).map(|(_, job)| job).collect()
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    pub fn peak_in_flight(&self) -> usize {
        self.peak_in_flight
    }

    pub fn in_flight_to(&self, host_key: &str) -> usize {
        self.per_host.get(host_key).copied().unwrap_or(0)
    }

    pub fn is_idle(&self) -> bool {
        self.queue.is_empty() && self.in_flight == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn respects_the_global_and_per_host_caps() {
        let mut s = Scheduler::new(3, 2);
        for (host, job) in [("a", 1), ("a", 2), ("a", 3), ("b", 4), ("c", 5)] {
            s.push(host.to_owned(), job);
        }
        let started: Vec<i32> = std::iter::from_fn(|| s.next_ready().map(|(_, job)| job)).collect();
        assert_eq!(started, vec![1, 2, 4], "the third job to host a waits; the global cap stops at 3");
        assert_eq!((s.in_flight(), s.in_flight_to("a")), (3, 2));
        s.finished("a");
        assert_eq!(s.next_ready().map(|(_, job)| job), Some(3), "a's freed place goes to a's next job");
        s.finished("b");
        assert_eq!(s.next_ready().map(|(_, job)| job), Some(5));
        assert_eq!(s.peak_in_flight(), 3);
        for host in ["a", "a", "c"] {
            s.finished(host);
        }
        assert!(s.is_idle());
    }

    #[test]
    fn a_random_workload_never_exceeds_the_caps() {
        let mut s = Scheduler::new(MAX_IN_FLIGHT, MAX_PER_HOST);
        let mut seed = 7u32;
        let mut rand = move |n: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) % n
        };
        for job in 0..200 {
            s.push(format!("host{}", rand(12)), job);
        }
        let mut running: Vec<String> = Vec::new();
        let mut done = 0;
        while !s.is_idle() {
            while let Some((host, _)) = s.next_ready() {
                running.push(host);
            }
            assert!(s.in_flight() <= MAX_IN_FLIGHT);
            assert!(running.iter().all(|h| s.in_flight_to(h) <= MAX_PER_HOST));
            let host = running.swap_remove(rand(running.len() as u32) as usize);
            s.finished(&host);
            done += 1;
        }
        assert_eq!(done, 200);
        assert!(s.peak_in_flight() <= MAX_IN_FLIGHT);
    }

    #[test]
    fn clearing_the_queue_keeps_in_flight_accounting() {
        let mut s = Scheduler::new(1, 1);
        s.push("a".into(), 1);
        s.push("b".into(), 2);
        s.next_ready();
        assert_eq!(s.clear_queue(), vec![2]);
        assert!(!s.is_idle());
        s.finished("a");
        s.finished("unknown");
        assert!(s.is_idle());
    }
}
