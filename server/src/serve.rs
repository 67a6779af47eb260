//! `skywatch serve`: opens the store, builds the router, serves until SIGINT/SIGTERM, then commits everything
//! acknowledged before exiting.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use skywatch_core::auth::{AccessKey, AccessKeys};
use skywatch_core::{AuthMode, Services};

use crate::cli::{AuthArg, ServeArgs};
use crate::config::ConfigFile;
use crate::{demo, router};

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(serve(args))
}

fn auth_mode(args: &ServeArgs) -> anyhow::Result<AuthMode> {
    let loopback = args.listen.ip().is_loopback();
    match args.auth {
        Some(AuthArg::None) if !loopback => {
            bail!("--auth none is refused on {}: it is only allowed on a loopback address", args.listen)
        }
        Some(AuthArg::None) => Ok(AuthMode::None),
        Some(AuthArg::Sigv4) => Ok(AuthMode::SigV4),
        None if loopback && args.access_keys.is_empty() && args.config.is_none() => Ok(AuthMode::None),
        None => Ok(AuthMode::SigV4),
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mode = auth_mode(&args)?;
    let config = match &args.config {
        Some(path) => ConfigFile::load(path)?,
        None => ConfigFile::default(),
    };
    let mut keys: Vec<AccessKey> = args
        .access_keys
        .iter()
        .map(|flag| AccessKey::parse_flag(flag))
        .collect::<Result<_, _>>()
        .context("bad --access-key")?;
    keys.extend(config.access_keys()?);
    let demo_key = args.demo.then(demo::generate_key);
    keys.extend(demo_key.clone());
    if mode == AuthMode::SigV4 && keys.is_empty() && config.users.is_empty() {
        bail!("--auth sigv4 needs at least one --access-key ID:SECRET (or access keys or users in --config)");
    }
    if mode == AuthMode::SigV4 && keys.is_empty() {
        tracing::warn!("no access keys configured: every AWS API call will be refused; the console still works");
    }
    let data_dir = args.data_dir.clone();
    let tsdb_config = args.tsdb_config();
    let services =
        tokio::task::spawn_blocking(move || Services::open_with(&data_dir, AccessKeys::new(keys), mode, tsdb_config))
            .await??;
    for user in &config.users {
        let role = crate::config::parse_role(&user.role)?;
        match (&user.password_hash, &user.password) {
            (Some(hash), _) => services.users.add_hashed(&user.name, hash, role).await?,
            (None, Some(password)) => services.users.provision(&user.name, password, role).await?,
            (None, None) => bail!("config user {} needs password_hash or password", user.name),
        };
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let local: SocketAddr = listener.local_addr()?;
    let options = router::leptos_options(local);
    if !crate::assets::site_is_built() {
        tracing::warn!(
            "the console's wasm bundle is missing: pages render but do not hydrate (build with cargo leptos)"
        );
    }
    let guard = crate::request_guard::Guard::new(&args.public_urls, mode);
    let limits = crate::http_server::Limits {
        max_connections: usize::try_from(args.max_connections).unwrap_or(512),
        header_timeout: std::time::Duration::from_secs(args.header_timeout_secs),
        body_timeout: std::time::Duration::from_secs(args.body_timeout_secs),
        ..Default::default()
    };
    let bodies = crate::bodies::BodyReader::new(limits.body_timeout);
    let app = router::build(services.clone(), options, guard, bodies);
    tracing::info!(address = %local, auth = ?mode, data_dir = %args.data_dir.display(), "skywatch listening");
    println!("skywatch listening on http://{local}");
    let (stop_background, stopped) = tokio::sync::oneshot::channel::<()>();
    let background = tokio::spawn(services.tsdb.clone().run_background(
        std::time::Duration::from_secs(args.metrics_checkpoint_secs),
        std::time::Duration::from_secs(3600),
        async move {
            let _ = stopped.await;
        },
    ));
    let housekeeping = tokio::spawn(housekeep(services.clone(), args.cloudtrail_retention_days));
    // Log retention and the sweeping of deleted groups and streams: every minute, each batch its own commit.
    let log_upkeep = tokio::spawn(
        services.logs.clone().run_upkeep(std::time::Duration::from_secs(60), || chrono::Utc::now().timestamp_millis()),
    );
    // Logs export tasks, one at a time, into --export-dir (a directory for each bucket).
    let export_dir = args.export_dir.clone().unwrap_or_else(|| args.data_dir.join("s3"));
    let (stop_exports, exports_stopped) = tokio::sync::oneshot::channel::<()>();
    let exports = tokio::spawn(services.logs.clone().run_exports(
        export_dir,
        skywatch_core::logs::export::ExportSettings::default(),
        || chrono::Utc::now().timestamp_millis(),
        async move {
            let _ = exports_stopped.await;
        },
    ));
    // Links in SNS messages (SubscribeURL) point where clients reach this server.
    let base_url = args.public_urls.first().map_or_else(|| format!("http://{local}"), |url| url.to_string());
    services.sns.set_base_url(&base_url);
    let http = std::sync::Arc::new(crate::sns_transport::HttpTransport::new(args.sns_ca_file.as_deref())?);
    let transport: std::sync::Arc<dyn skywatch_core::sns::Transport> = http.clone();
    let webhooks: std::sync::Arc<dyn skywatch_core::config::Transport> = http.clone();
    let http_client: std::sync::Arc<dyn skywatch_core::events::delivery::HttpClient> = http.clone();
    // CloudWatch Logs subscription filters: the queued deliveries, drained as they come due.
    let poster: std::sync::Arc<dyn skywatch_core::logs::subscription::deliver::Poster> = http;
    let (stop_subscriptions, subscriptions_stopped) = tokio::sync::oneshot::channel::<()>();
    let subscriptions = tokio::spawn(services.logs.clone().run_subscriptions(poster, async move {
        let _ = subscriptions_stopped.await;
    }));
    // EventBridge's deliveries to topics, log groups, buses and webhooks.
    let sinks: std::sync::Arc<dyn skywatch_core::events::delivery::Sinks> =
        std::sync::Arc::new(skywatch_core::event_sinks::EventSinks {
            sns: services.sns.clone(),
            logs: services.logs.clone(),
            http: http_client,
        });
    let (stop_events, events_stopped) = tokio::sync::oneshot::channel::<()>();
    let event_deliverer = tokio::spawn(services.events.clone().run_deliveries(sinks, async move {
        let _ = events_stopped.await;
    }));
    // EventBridge's schedule rules, fired once a time.
    let (stop_schedules, schedules_stopped) = tokio::sync::oneshot::channel::<()>();
    let scheduler = tokio::spawn(services.events.clone().run_schedules(async move {
        let _ = schedules_stopped.await;
    }));
    let (stop_deliveries, deliveries_stopped) = tokio::sync::oneshot::channel::<()>();
    let deliverer = tokio::spawn(services.sns.clone().run(transport, async move {
        let _ = deliveries_stopped.await;
    }));
    let daemon_addr = args.xray_udp.unwrap_or_else(|| {
        crate::cli::XRAY_DAEMON_DEFAULT.parse().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 2000)))
    });
    let (stop_daemon, daemon_stopped) = tokio::sync::oneshot::channel::<()>();
    let daemon_settings = crate::xray_daemon::Daemon {
        account: args.xray_daemon_account.clone(),
        region: args.xray_daemon_region.clone(),
    };
    let daemon = match crate::xray_daemon::bind(daemon_addr, args.xray_udp.is_some()).await? {
        Some(socket) => {
            tracing::info!(address = %daemon_addr, "X-Ray daemon protocol (UDP) listening");
            Some(tokio::spawn(daemon_settings.clone().run(socket, services.clone(), async move {
                let _ = daemon_stopped.await;
            })))
        }
        None => None,
    };
    if let Some(key) = demo_key {
        tokio::spawn(demo::run(local, key, daemon.is_some().then_some(daemon_addr)));
    }
    // The CloudWatch agent's EMF endpoint: documents become log events, and their embedded metrics metrics.
    let emf_addr = args.emf_listen.unwrap_or_else(|| {
        crate::cli::EMF_AGENT_DEFAULT.parse().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 25888)))
    });
    let (stop_emf, emf_stopped) = tokio::sync::oneshot::channel::<()>();
    let emf = match crate::emf_agent::bind(emf_addr, args.emf_listen.is_some()).await? {
        (None, None) => None,
        (tcp, udp) => {
            tracing::info!(address = %emf_addr, tcp = tcp.is_some(), udp = udp.is_some(), "CloudWatch agent EMF endpoint listening");
            let agent = crate::emf_agent::Agent::new(args.emf_account.clone(), args.emf_region.clone());
            Some(tokio::spawn(agent.run(tcp, udp, services.clone(), async move {
                let _ = emf_stopped.await;
            })))
        }
    };
    let (stop_sampling, sampling_stopped) = tokio::sync::oneshot::channel::<()>();
    let sampling = crate::xray_daemon::bind_tcp(daemon_addr, args.xray_udp.is_some()).await?.map(|listener| {
        tokio::spawn(daemon_settings.serve_sampling(listener, services.clone(), async move {
            let _ = sampling_stopped.await;
        }))
    });
    let (stop_summaries, summaries_stopped) = tokio::sync::oneshot::channel::<()>();
    let summarizer = tokio::spawn(services.traces.clone().run(async move {
        let _ = summaries_stopped.await;
    }));
    let (stop_alarms, alarms_stopped) = tokio::sync::oneshot::channel::<()>();
    let evaluator = tokio::spawn(services.alarms.clone().run(async move {
        let _ = alarms_stopped.await;
    }));
    let (stop_config, config_stopped) = tokio::sync::oneshot::channel::<()>();
    let recorder = tokio::spawn(services.config.clone().run(webhooks, async move {
        let _ = config_stopped.await;
    }));
    // Live Tail streams would hold their connections open for hours: they end as the server stops taking requests.
    let tails = services.logs.clone();
    crate::http_server::serve(listener, app, limits, async move {
        shutdown_signal().await;
        tails.end_live_tails();
    })
    .await;
    let _ = stop_background.send(());
    let _ = stop_config.send(());
    let _ = stop_alarms.send(());
    let _ = stop_deliveries.send(());
    let _ = stop_events.send(());
    let _ = stop_schedules.send(());
    let _ = stop_subscriptions.send(());
    let _ = stop_daemon.send(());
    let _ = stop_sampling.send(());
    if let Some(sampling) = sampling {
        let _ = sampling.await;
    }
    let _ = stop_summaries.send(());
    if let Some(daemon) = daemon {
        let _ = daemon.await;
    }
    let _ = stop_emf.send(());
    if let Some(emf) = emf {
        let _ = emf.await;
    }
    let _ = background.await;
    let _ = summarizer.await;
    let _ = evaluator.await;
    let _ = recorder.await;
    let _ = deliverer.await;
    let _ = event_deliverer.await;
    let _ = scheduler.await;
    let _ = subscriptions.await;
    let _ = stop_exports.send(());
    let _ = exports.await;
    housekeeping.abort();
    log_upkeep.abort();
    services.store.close().await.context("final commit failed")?;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Retention of event history and ended sessions: at start, then hourly. Each sweep commits batches that stand
/// alone, so stopping in the middle loses nothing.
async fn housekeep(services: Services, audit_retention_days: u32) {
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match services.housekeep(chrono::Utc::now().timestamp_millis(), audit_retention_days).await {
            Ok(swept) if swept != skywatch_core::Swept::default() => {
                tracing::info!(
                    audit_events = swept.audit_events,
                    alarm_history = swept.alarm_history,
                    traces = swept.traces,
                    sessions = swept.sessions,
                    "retention sweep"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "retention sweep failed"),
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
