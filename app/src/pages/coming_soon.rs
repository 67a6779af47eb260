//! Pages of the menu not built yet: they say what is coming, never an error.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use super::not_found::NotFound;
use crate::nav::find;

#[component]
pub fn ComingSoon() -> impl IntoView {
    let location = use_location();
    move || match find(&location.pathname.get()) {
        Some((service, page)) => view! {
            <Title text=format!("{} {}", service.label, page.label)/>
            <div class="breadcrumb">{service.label} " › " {page.label}</div>
            <h1 data-testid="page-title">{page.label}</h1>
            <div class="notice" data-testid="coming-soon">
                <strong>"Coming soon. "</strong>
                {page.coming.unwrap_or("This page is being built.")}
            </div>
        }
        .into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}
