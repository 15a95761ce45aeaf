//! Russian wording of core's input problems (English is core's own `Display`). A new problem
//! in core does not compile until it is worded here.

use reachcheck_core::problem::{Issue, UrlIssue};

pub fn issue(issue: &Issue) -> String {
    use Issue::*;
    match issue {
        TooLarge { bytes, limit } => format!("{bytes} байт — больше предела в {limit} байт"),
        Json(message) => format!("не читается как JSON ({message})"),
        UnsupportedFormat { found, oldest, newest } => {
            format!(
                "версия {found} не поддерживается (эта версия reachcheck читает версии {oldest}–{newest})"
            )
        }
        InvalidId(id) => format!("\"{id}\" — недопустимый идентификатор (1–64 знака из a-z, 0-9, '-', '_')"),
        Empty => "не должно быть пустым".into(),
        TooLong { limit } => format!("длиннее {limit} знаков"),
        NotWebUrl { scheme } => format!("нужен адрес http(s), а не {scheme}://"),
        MixedContent { scheme } => format!("{scheme}:// нельзя со страницы https (смешанное содержимое)"),
        NoControls => {
            "нужен хотя бы один контрольный адрес, чтобы отличить блокировку от неработающей сети".into()
        }
        NoServices => "в каталоге нет сервисов".into(),
        TooManyEndpoints { count, limit } => format!("{count} адресов — больше предела в {limit}"),
        TooManyResolvers { count, limit } => format!("{count} резолверов — больше предела в {limit}"),
        ResolverUrl => {
            "должен кончаться параметром запроса, в который подставляется имя, например \"…/resolve?name=\""
                .into()
        }
        DuplicateId(id) => format!("идентификатор \"{id}\" повторяется"),
        ControlNeedsScope => "у контрольного адреса должна быть область (global или domestic)".into(),
        DomesticNeedsCountry => {
            "у внутреннего контрольного адреса должен быть код страны (например, \"RU\")".into()
        }
        BadCountry(code) => format!("\"{code}\" — не двухбуквенный код страны заглавными буквами"),
        CanaryKind { kind } => format!("канарейка — это проверка fetch или image, а не {kind}"),
        CanaryFilterListed => "канарейки и так в списках фильтров; уберите это поле".into(),
        OnlyControls => "это поле бывает только у контрольных адресов".into(),
        ProtocolsNeedWebsocket => "подпротоколы бывают только у проверок websocket".into(),
        BadProtocol(name) => format!("\"{name}\" — недопустимое имя подпротокола"),
        ProtocolTwice(name) => format!("\"{name}\" указан дважды"),
        OutOfRange { value, min, max } => format!("{value} — вне пределов {min}–{max}"),
        SuccessNotObservable { success, kind } => format!("проверка {kind} не может увидеть {success}"),
        StreamNeedsSize => "проверке stream нужен ожидаемый размер ответа".into(),
        MustBePositive => "должно быть больше 0".into(),
        OnlyStreamReadsBody => "тело ответа читают только проверки stream и download".into(),
        OnlyUploadsSend => "данные отправляют только проверки upload".into(),
        CredentialsOnlyWebrtc => "учётные данные бывают только у проверок webrtc (TURN)".into(),
        SchemeNotForKind { kind, scheme } => format!("проверка {kind} не может использовать {scheme}://"),
        Url(issue) => url_issue(issue),
        NotAServiceId(id) => format!("\"{id}\" — не идентификатор сервиса (a-z, 0-9, '-', '_')"),
        NotOneOf { value, allowed } => format!("\"{value}\" — не одно из: {allowed}"),
        NotAColour(value) => format!("\"{value}\" — не цвет вида #0b57d0"),
        NotADay(value) => format!("\"{value}\" — не дата (ГГГГ-ММ-ДД)"),
    }
}

fn url_issue(issue: &UrlIssue) -> String {
    use UrlIssue::*;
    match issue {
        Spaces => "нужен непустой адрес без пробелов по краям".into(),
        NotAscii => "адрес должен быть в ASCII без пробелов (домены IDN — в punycode)".into(),
        NoScheme => "не полный адрес (нет схемы)".into(),
        Scheme(scheme) => {
            format!("схема {scheme}:// не поддерживается (подходят https, wss, http, ws, stun, turn, turns)")
        }
        NoSlashes => "не полный адрес (нет //)".into(),
        Credentials => "в адресе не должно быть имени пользователя или пароля".into(),
        UnclosedBracket => "не закрыта скобка [IPv6]".into(),
        NoHost => "в адресе нет имени сервера".into(),
        HostCharacters(host) => format!("в имени сервера \"{host}\" недопустимые знаки"),
        Port(port) => format!("\"{port}\" — не номер порта (1–65535)"),
    }
}
