use super::*;

/// A cell of `reports`, `blocked` and `throttled` of them (the rest reachable).
fn cell(service: &str, cc: &str, asn: &str, day: &str, reports: u64, blocked: u64, throttled: u64) -> String {
    let reachable = reports - blocked - throttled;
    let counts: Vec<String> = [("blocked", blocked), ("throttled", throttled), ("reachable", reachable)]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(status, n)| format!("\"{status}\": {n}"))
        .collect();
    format!(
        r#"{{"service_id": "{service}", "probe_cc": "{cc}", "probe_asn": "{asn}", "day": "{day}",
            "reports": {reports}, "counts": {{ {} }}, "methods": {{}} }}"#,
        counts.join(", ")
    )
}

fn document(rows: &[String]) -> Document {
    let text = format!(
        r#"{{"format": "reachcheck-aggregates-2", "generated_at": "2026-12-02 10:00:00", "min_cell": 10,
            "networks": {{"AS12389": "Rostelecom", "AS8359": "MTS, PJSC \"Mobile\""}},
            "rows": [{}]}}"#,
        rows.join(",")
    );
    Document::parse(&text).unwrap()
}

fn fixture() -> Document {
    document(&[
        cell("whatsapp", "RU", "AS12389", "2026-11-01", 20, 15, 0),
        cell("whatsapp", "RU", "AS8359", "2026-11-01", 10, 10, 0),
        cell("whatsapp", "KZ", "AS9198", "2026-11-01", 12, 0, 3),
        cell("whatsapp", "RU", "AS12389", "2026-11-03", 40, 40, 0),
        cell("telegram", "RU", "AS12389", "2026-11-03", 100, 0, 60),
    ])
}

#[test]
fn a_chart_by_country_sums_the_networks_of_each_day() {
    let doc = fixture();
    let chart = Chart::of(&doc, &Filter::default(), Grouping::Country).unwrap();
    assert_eq!(chart.service, "telegram", "no service asked: the one with the most reports");
    let chart =
        Chart::of(&doc, &Filter { service: Some("whatsapp".into()), ..Filter::default() }, Grouping::Country)
            .unwrap();
    let keys: Vec<&str> = chart.series.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["RU", "KZ"], "most reports first");
    let ru = &chart.series[0];
    assert_eq!(
        ru.points,
        [
            Point { day: "2026-11-01".into(), reports: 30, hits: 25 },
            Point { day: "2026-11-03".into(), reports: 40, hits: 40 }
        ]
    );
    assert!((ru.points[0].share() - 25.0 / 30.0).abs() < 1e-9);
}

#[test]
fn a_chart_by_network_names_networks_and_follows_the_filter() {
    let doc = fixture();
    let filter = Filter {
        service: Some("whatsapp".into()),
        cc: Some("RU".into()),
        from: Some("2026-11-02".into()),
        measure: Measure::Blocked,
        ..Filter::default()
    };
    let chart = Chart::of(&doc, &filter, Grouping::Network).unwrap();
    assert_eq!(chart.series.len(), 1, "AS8359 has no day from 2026-11-02 on: {:?}", chart.series);
    assert_eq!(chart.series[0].name.as_deref(), Some("Rostelecom"));
    let throttled =
        Chart::of(&doc, &Filter { measure: Measure::Throttled, ..Filter::default() }, Grouping::Network)
            .unwrap();
    assert_eq!(throttled.series[0].points[0].hits, 60);
}

#[test]
fn the_csv_of_a_chart_quotes_names_and_has_one_line_per_series_and_day() {
    let doc = fixture();
    let filter = Filter { service: Some("whatsapp".into()), ..Filter::default() };
    let chart = Chart::of(&doc, &filter, Grouping::Network).unwrap();
    assert_eq!(
        chart.csv(),
        "service_id,day,network,name,reports,blocked,share_blocked\n\
         whatsapp,2026-11-01,AS12389,Rostelecom,20,15,0.7500\n\
         whatsapp,2026-11-01,AS8359,\"MTS, PJSC \"\"Mobile\"\"\",10,10,1.0000\n\
         whatsapp,2026-11-01,AS9198,,12,0,0.0000\n\
         whatsapp,2026-11-03,AS12389,Rostelecom,40,40,1.0000\n"
    );
    assert_eq!(chart.csv_file_name(), "reachcheck-whatsapp-blocked-by-network.csv");
}

#[test]
fn choices_list_services_countries_and_networks_most_reports_first() {
    let doc = fixture();
    let filter = Filter { service: Some("whatsapp".into()), cc: Some("RU".into()), ..Filter::default() };
    let choices = Choices::of(&doc, &filter);
    assert_eq!(choices.services, [("telegram".to_owned(), 100), ("whatsapp".to_owned(), 82)]);
    assert_eq!(choices.countries, [("RU".to_owned(), 70), ("KZ".to_owned(), 12)]);
    assert_eq!(choices.networks, [("AS12389".to_owned(), 60), ("AS8359".to_owned(), 10)], "in RU only");
    assert_eq!(choices.days, Some(("2026-11-01".to_owned(), "2026-11-03".to_owned())));
    let unknown = Filter { service: Some("nope".into()), ..Filter::default() };
    assert_eq!(unknown.service_in(&choices), Some("telegram"), "an unknown service falls back");
}

#[test]
fn a_filter_round_trips_through_its_link_and_ignores_what_it_cannot_use() {
    let filter = Filter {
        service: Some("whatsapp".into()),
        cc: Some("RU".into()),
        asn: Some("AS12389".into()),
        from: Some("2026-11-01".into()),
        to: Some("2026-11-30".into()),
        measure: Measure::Throttled,
    };
    let pairs = filter.to_pairs();
    assert_eq!(Filter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))), filter);
    let edited = Filter::from_pairs([("from", "yesterday"), ("measure", "gone"), ("lang", "ru"), ("cc", "")]);
    assert_eq!(edited, Filter::default());
    assert!(Filter::default().to_pairs().is_empty());
}

#[test]
fn a_broken_document_is_refused_with_where_and_why() {
    let refuse = |text: &str| Document::parse(text).unwrap_err();
    assert!(refuse("{").contains("EOF"), "{}", refuse("{"));
    assert!(refuse(r#"{"format": "x-9", "rows": []}"#).contains("\"x-9\" is not one this dashboard reads"));
    let bad_day = format!(
        r#"{{"format": "reachcheck-aggregates-2", "rows": [{}]}}"#,
        cell("a", "RU", "AS1", "2026-13-01", 1, 1, 0)
    );
    assert!(refuse(&bad_day).contains("rows[0].day"), "{}", refuse(&bad_day));
    let bad_sum = format!(
        r#"{{"format": "reachcheck-aggregates-2", "rows": [{}]}}"#,
        cell("a", "RU", "AS1", "2026-11-01", 3, 1, 0)
    )
    .replace("\"reports\": 3", "\"reports\": 4");
    assert!(
        refuse(&bad_sum).contains("rows[0].reports: 4 reports, but its counts add up to 3"),
        "{}",
        refuse(&bad_sum)
    );
    let missing = r#"{"format": "reachcheck-aggregates-2", "rows": [{"service_id": "a"}]}"#;
    assert!(refuse(missing).contains("rows[0]"), "{}", refuse(missing));
    // Format 1 had neither `reports` nor `min_cell`: read, with reports summed.
    let old = r#"{"format": "reachcheck-aggregates-1", "rows": [{"service_id": "a", "probe_cc": "RU",
        "probe_asn": "AS1", "day": "2026-10-01", "counts": {"blocked": 2, "reachable": 1}}]}"#;
    assert_eq!(Document::parse(old).unwrap().rows[0].reports(), 3);
}

#[test]
fn the_plot_places_days_by_date_and_shares_by_height() {
    let doc = fixture();
    let filter = Filter { service: Some("whatsapp".into()), ..Filter::default() };
    let chart = Chart::of(&doc, &filter, Grouping::Country).unwrap();
    let plot = Plot::of(&chart, 600.0, 300.0);
    let (left, top, right, bottom) = plot.area;
    assert_eq!(plot.lines.len(), 2);
    let ru = &plot.lines[0];
    assert_eq!(ru[0].0, left, "the first day at the left edge");
    assert_eq!(ru[1].0, right, "the last day at the right edge");
    assert_eq!(ru[1].1, top, "100 % at the top");
    assert!((ru[0].1 - (bottom - (bottom - top) * 25.0 / 30.0)).abs() < 1e-9);
    assert_eq!(plot.lines[1], [(left, bottom)], "KZ: one day, none blocked");
    let days: Vec<&str> = plot.x_ticks.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(days, ["2026-11-01", "2026-11-02", "2026-11-03"], "every day of a short range");
    assert_eq!(plot.y_ticks.first(), Some(&(bottom, 0)));
    assert_eq!(plot.y_ticks.last(), Some(&(top, 100)));
}

#[test]
fn at_most_eight_lines_are_drawn_and_the_table_has_them_all() {
    let rows: Vec<String> =
        (1..=11).map(|n| cell("a", "RU", &format!("AS{n}"), "2026-11-01", 10 + n, 1, 0)).collect();
    let chart = Chart::of(&document(&rows), &Filter::default(), Grouping::Network).unwrap();
    assert_eq!((chart.series.len(), chart.drawn().len()), (11, MAX_LINES));
    assert_eq!(chart.drawn()[0].key, "AS11", "the largest are drawn");
}

#[test]
fn day_numbers_and_texts_are_inverse_and_refuse_impossible_dates() {
    for day in ["1970-01-01", "2024-02-29", "2026-12-31", "2000-03-01"] {
        assert_eq!(day_text(day_number(day).unwrap()), day);
    }
    assert_eq!(day_number("1970-01-02"), Some(1));
    for bad in ["2026-02-29", "2026-00-10", "2026-1-01", "2026-01-32", "abcd-ef-gh"] {
        assert_eq!(day_number(bad), None, "{bad}");
    }
    assert_eq!(day_ticks(0, 100), [0, 25, 50, 75, 100]);
}
