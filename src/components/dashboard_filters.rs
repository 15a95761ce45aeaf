use std::rc::Rc;

use reachcheck_core::aggregates::{Choices, Filter, Measure};
use reachcheck_core::report::{UNKNOWN_ASN, UNKNOWN_CC};
use yew::prelude::*;

use crate::i18n::{DashboardStrings, Lang};
use crate::services::aggregates_source::ServiceNames;

#[derive(Properties, PartialEq)]
pub struct DashboardFiltersProps {
    pub choices: Choices,
    pub filter: Filter,
    pub lang: Lang,
    /// Service names by id, where the catalog beside the page names them.
    pub names: Rc<ServiceNames>,
    /// Network names by ASN, for the network list.
    pub network_name: Callback<String, Option<String>>,
    pub on_change: Callback<Filter>,
}

/// What the dashboard shows: service, country, network, days and measure. Each change is a new
/// [`Filter`]; the page puts it in its address.
#[function_component(DashboardFilters)]
pub fn dashboard_filters(props: &DashboardFiltersProps) -> Html {
    let texts = props.lang.dashboard_strings();
    let filter = &props.filter;
    let choices = &props.choices;
    // Every control edits one field of the filter; choosing a country resets the network.
    let edit = |apply: fn(&mut Filter, Option<String>)| {
        let (filter, on_change) = (filter.clone(), props.on_change.clone());
        Callback::from(move |event: Event| {
            let value = event
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|select| select.value())
                .or_else(|| event.target_dyn_into::<web_sys::HtmlInputElement>().map(|input| input.value()))
                .unwrap_or_default();
            let mut next = filter.clone();
            apply(&mut next, (!value.is_empty()).then_some(value));
            on_change.emit(next);
        })
    };
    let shown_service = filter.service_in(choices).unwrap_or("").to_owned();
    let (first_day, last_day) = choices.days.clone().unwrap_or_default();
    let option = |value: &str, label: String, selected: bool| {
        html! {
            <option value={value.to_owned()} selected={selected}>{ label }</option>
        }
    };
    html! {
        <form class="dashboard-filters" aria-label={texts.filters} onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <label>{ texts.filter_service }
                <select name="service" onchange={edit(|f, v| { f.service = v; f.asn = None; })}>
                    { for choices.services.iter().map(|(id, reports)| {
                        let name = props.names.of(id);
                        option(id, format!("{name} ({reports})"), *id == shown_service)
                    }) }
                </select>
            </label>
            <label>{ texts.filter_country }
                <select name="cc" onchange={edit(|f, v| { f.cc = v; f.asn = None; })}>
                    { option("", texts.all_countries.to_owned(), filter.cc.is_none()) }
                    { for choices.countries.iter().map(|(cc, reports)| {
                        let name = if cc == UNKNOWN_CC { texts.unknown_country.to_owned() } else { cc.clone() };
                        option(cc, format!("{name} ({reports})"), filter.cc.as_ref() == Some(cc))
                    }) }
                </select>
            </label>
            <label>{ texts.filter_network }
                <select name="asn" onchange={edit(|f, v| f.asn = v)}>
                    { option("", texts.all_networks.to_owned(), filter.asn.is_none()) }
                    { for choices.networks.iter().map(|(asn, reports)| {
                        let name = match props.network_name.emit(asn.clone()) {
                            _ if asn == UNKNOWN_ASN => texts.unknown_network.to_owned(),
                            Some(name) => format!("{asn} {name}"),
                            None => asn.clone(),
                        };
                        option(asn, format!("{name} ({reports})"), filter.asn.as_ref() == Some(asn))
                    }) }
                </select>
            </label>
            <label>{ texts.filter_from }
                <input type="date" name="from" min={first_day.clone()} max={last_day.clone()}
                    value={filter.from.clone().unwrap_or_default()} onchange={edit(|f, v| f.from = v)} />
            </label>
            <label>{ texts.filter_to }
                <input type="date" name="to" min={first_day} max={last_day}
                    value={filter.to.clone().unwrap_or_default()} onchange={edit(|f, v| f.to = v)} />
            </label>
            <label>{ texts.filter_measure }
                <select name="measure" onchange={edit(|f, v| f.measure = v.as_deref().and_then(Measure::from_status).unwrap_or_default())}>
                    { for Measure::ALL.iter().map(|m| option(m.status(), measure_name(texts, *m).to_owned(), filter.measure == *m)) }
                </select>
            </label>
        </form>
    }
}

/// The measure in words (`blocked`, `заблокирован`).
pub fn measure_name(texts: &DashboardStrings, measure: Measure) -> &'static str {
    match measure {
        Measure::Blocked => texts.measure_blocked,
        Measure::Throttled => texts.measure_throttled,
    }
}
