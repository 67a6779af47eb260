//! The page for a path the console does not have.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found"/>
        <h1 data-testid="page-title">"Page not found"</h1>
        <p>"There is no console page at this address. Pick a service from the menu."</p>
    }
}
