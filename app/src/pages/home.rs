//! The console home: what each service offers, one click away.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::query::href;
use crate::nav::{MENU, test_id};

#[component]
pub fn Home() -> impl IntoView {
    let query = use_query_map();
    view! {
        <Title text="Console home"/>
        <h1 data-testid="page-title">"Console home"</h1>
        <p class="lead">
            "Skywatch runs CloudWatch, X-Ray, CloudTrail, Config and EventBridge on this machine. "
            "Point the aws CLI or any AWS SDK at this address and its calls land here."
        </p>
        <div class="cards">
            {MENU
                .iter()
                .map(|service| {
                    view! {
                        <section class="card">
                            <h2>{service.label}</h2>
                            <ul>
                                {service
                                    .pages
                                    .iter()
                                    .map(|page| {
                                        let path = page.path;
                                        view! {
                                            <li>
                                                <a href=move || href(path, &query.read(), &[]) data-testid=format!("home-{}", test_id(path))>
                                                    {page.label}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
}
