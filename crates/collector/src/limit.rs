//! Per-address rate limit, in memory only (never written anywhere): a token bucket per address,
//! forgotten once full again.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

pub struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter { per_minute: f64::from(per_minute.max(1)), buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one token for `address`; false when it has none left.
    pub fn allow(&self, address: IpAddr) -> bool {
        self.allow_at(address, Instant::now())
    }

    fn allow_at(&self, address: IpAddr, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let refill = |(tokens, since): (f64, Instant)| {
            (tokens + now.duration_since(since).as_secs_f64() * self.per_minute / 60.0).min(self.per_minute)
        };
        if buckets.len() > 10_000 {
            // Full buckets carry no information: drop them (and with them the addresses).
            buckets.retain(|_, bucket| refill(*bucket) < self.per_minute);
        }
        let tokens = buckets.get(&address).map_or(self.per_minute, |bucket| refill(*bucket));
        let allowed = tokens >= 1.0;
        buckets.insert(address, (if allowed { tokens - 1.0 } else { tokens }, now));
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn allows_a_burst_then_refills_over_time() {
        let limiter = RateLimiter::new(3);
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let start = Instant::now();
        assert!((0..3).all(|_| limiter.allow_at(a, start)));
        assert!(!limiter.allow_at(a, start), "the fourth in a minute is refused");
        assert!(limiter.allow_at(b, start), "another address has its own bucket");
        assert!(limiter.allow_at(a, start + Duration::from_secs(20)), "one token back after 20 s");
        assert!(!limiter.allow_at(a, start + Duration::from_secs(21)));
    }
}
