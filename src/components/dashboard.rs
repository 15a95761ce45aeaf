use std::rc::Rc;

use reachcheck_core::aggregates::{Chart, Choices, Document, Filter, Grouping};
use yew::prelude::*;

use super::dashboard_chart::DashboardChart;
use super::dashboard_filters::{measure_name, DashboardFilters};
use crate::i18n::{fill, Lang};
use crate::services::aggregates_source::{self, AggregatesError, ServiceNames};
use crate::services::page;

#[derive(Properties, PartialEq)]
pub struct DashboardProps {
    /// Where the published aggregates are (docs/aggregates.md).
    pub data_url: AttrValue,
}

enum Data {
    Loading,
    Failed(AggregatesError),
    Ready(Rc<Document>),
}

/// The query parameters a dashboard link carries besides the filter.
const DATA_PARAM: &str = "data";
const LANG_PARAM: &str = "lang";

/// The researchers' dashboard: filters, then the chosen service's share of "blocked" (or
/// "throttled") tests per day by country and by network, each chart with a table view and its
/// CSV. It reads only the static aggregates, so it works from any static host with no collector
/// online; its address always holds the filter, so a copied link shows the same view.
#[function_component(Dashboard)]
pub fn dashboard(props: &DashboardProps) -> Html {
    let lang =
        use_state(|| Lang::detect(page::query_param(LANG_PARAM).as_deref(), &page::preferred_languages()));
    let filter = use_state(|| {
        let keys = ["service", "cc", "asn", "from", "to", "measure"];
        let values: Vec<(&str, String)> =
            keys.iter().filter_map(|key| Some((*key, page::query_param(key)?))).collect();
        Filter::from_pairs(values.iter().map(|(key, value)| (*key, value.as_str())))
    });
    let data = use_state(|| Data::Loading);
    let names = use_state(|| Rc::new(ServiceNames::default()));
    let link = use_state(String::new);
    {
        let names = names.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                names.set(Rc::new(aggregates_source::service_names().await));
            });
        });
    }
    {
        let data = data.clone();
        use_effect_with(props.data_url.clone(), move |url| {
            let url = url.to_string();
            wasm_bindgen_futures::spawn_local(async move {
                data.set(match aggregates_source::load(&url).await {
                    Ok(document) => Data::Ready(Rc::new(document)),
                    Err(err) => Data::Failed(err),
                });
            });
        });
    }
    {
        // The address follows what is shown (no reload, no history entry per change).
        let link = link.clone();
        let explicit_data = page::query_param(DATA_PARAM);
        use_effect_with(((*filter).clone(), *lang), move |(filter, lang)| {
            page::set_document_language(lang.code(), lang.dir());
            let mut pairs = filter.to_pairs();
            pairs.push((LANG_PARAM, lang.code().to_owned()));
            if let Some(url) = explicit_data {
                pairs.push((DATA_PARAM, url));
            }
            link.set(page::replace_query(&pairs).unwrap_or_default());
        });
    }
    let texts = lang.dashboard_strings();
    let on_lang = |next: Lang| {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| lang.set(next))
    };
    let body = match &*data {
        Data::Loading => html! { <p class="note" data-loading="">{ texts.loading }</p> },
        Data::Failed(err) => {
            let why = match err {
                AggregatesError::Fetch(load) => lang.strings().load_error_line(load),
                AggregatesError::Invalid(why) => why.clone(),
            };
            html! { <p class="problem" role="alert" data-load-error="">{ format!("{} {why}", texts.load_failed) }</p> }
        }
        Data::Ready(document) => view(document, &filter, *lang, &names),
    };
    html! {
        <main class="dashboard" data-dashboard="">
            <header>
                <h1>{ texts.title }</h1>
                <nav class="language" aria-label={texts.language}>
                    { for Lang::ALL.iter().map(|&choice| html! {
                        <button type="button" class="link" lang={choice.code()} data-lang={choice.code()}
                            aria-pressed={(choice == *lang).to_string()} onclick={on_lang(choice)}>
                            { choice.dashboard_strings().name }
                        </button>
                    }) }
                </nav>
            </header>
            { body }
            <p><a data-link-to-view="" href={(*link).clone()}>{ texts.link_to_view }</a></p>
        </main>
    }
}

/// The filters and both charts of a read document.
fn view(
    document: &Rc<Document>,
    filter: &UseStateHandle<Filter>,
    lang: Lang,
    names: &Rc<ServiceNames>,
) -> Html {
    let texts = lang.dashboard_strings();
    let choices = Choices::of(document, filter);
    let on_change = {
        let filter = filter.clone();
        Callback::from(move |next: Filter| filter.set(next))
    };
    let network_name = {
        let document = document.clone();
        Callback::from(move |asn: String| document.network_name(&asn).map(str::to_owned))
    };
    let charts: Vec<Chart> = [Grouping::Country, Grouping::Network]
        .into_iter()
        .filter_map(|grouping| Chart::of(document, filter, grouping))
        .filter(|chart| !chart.series.is_empty())
        .collect();
    let measure = measure_name(texts, filter.measure);
    html! {
        <>
            <p>{ fill(texts.intro, &[("k", document.min_cell.to_string())]) }</p>
            if !document.generated_at.is_empty() {
                <p class="note">{ fill(texts.generated, &[("time", document.generated_at.clone())]) }</p>
            }
            <DashboardFilters choices={choices} filter={(**filter).clone()} lang={lang} names={names.clone()}
                network_name={network_name} on_change={on_change} />
            if charts.is_empty() {
                <p class="note" data-no-data="">{ texts.no_data }</p>
            }
            { for charts.into_iter().map(|chart| {
                let service = names.of(&chart.service).to_owned();
                html! { <DashboardChart chart={Rc::new(chart)} lang={lang} service_name={service} measure_name={measure} /> }
            }) }
        </>
    }
}
