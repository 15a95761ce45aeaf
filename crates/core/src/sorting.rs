//! Ordering for the few short lists the rules sort (a probe's samples, the catalog's timeouts,
//! a run's failed attempts): insertion into a sorted vector. The standard sorts bring 2–3 KB of
//! wasm per element type into the app and the widget; these lists hold tens of items.

/// `items` ordered by `key`, smallest first; equal keys keep their order. Keys compare by
/// `f64::total_cmp`, so a NaN sorts last, never panics.
pub fn sorted_by_key<T>(items: impl IntoIterator<Item = T>, key: impl Fn(&T) -> f64) -> Vec<T> {
    let mut sorted: Vec<T> = Vec::new();
    for item in items {
        let item_key = key(&item);
        let at = sorted.partition_point(|other| key(other).total_cmp(&item_key).is_le());
        sorted.insert(at, item);
    }
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_key_and_keeps_equal_keys_in_their_order() {
        let items = [(3.0, 'a'), (1.0, 'b'), (3.0, 'c'), (2.0, 'd'), (1.0, 'e')];
        let sorted = sorted_by_key(items, |item| item.0);
        assert_eq!(sorted.iter().map(|item| item.1).collect::<String>(), "bedac");
    }

    #[test]
    fn agrees_with_the_standard_sort_on_many_lists() {
        // A small deterministic generator: no dependency for a test of arithmetic.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for len in 0..60 {
            let values: Vec<f64> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 50) as f64 - 10.0
                })
                .collect();
            let mut expected = values.clone();
            expected.sort_by(f64::total_cmp);
            assert_eq!(sorted_by_key(values, |v| *v), expected);
        }
    }

    #[test]
    fn a_nan_sorts_last() {
        let sorted = sorted_by_key([f64::NAN, 2.0, 1.0], |v| *v);
        assert_eq!(&sorted[..2], &[1.0, 2.0]);
        assert!(sorted[2].is_nan());
    }
}
