//! A fresh store and the calls the tests make on it.

use skywatch_events::{CreateEventBus, CreateEventBusInput, Events, EventsError, PutRule, PutRuleInput};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;

pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";
/// When the tests' calls are made, epoch ms.
pub const NOW: i64 = 1_765_000_000_000;

pub struct Fixture {
    pub events: Events,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self { events: Events::new(Store::open(dir.path()).unwrap()), dir }
    }

    pub fn restart(self) -> Self {
        let Fixture { events, dir } = self;
        drop(events);
        Self { events: Events::new(Store::open(dir.path()).unwrap()), dir }
    }

    pub async fn call<Op: Operation<Engine = Events>>(&self, input: Op::Input) -> Result<Op::Output, Op::Error> {
        self.call_in::<Op>(REGION, input).await
    }

    pub async fn call_in<Op: Operation<Engine = Events>>(
        &self,
        region: &str,
        input: Op::Input,
    ) -> Result<Op::Output, Op::Error> {
        self.call_as::<Op>(ACCOUNT, region, input).await
    }

    /// A call by `account` in `region`, at [`NOW`], its changes committed.
    pub async fn call_as<Op: Operation<Engine = Events>>(
        &self,
        account: &str,
        region: &str,
        input: Op::Input,
    ) -> Result<Op::Output, Op::Error> {
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: account.into() }, region, "r", NOW);
        let effect = Op::run(&self.events, &ctx, input).await?;
        self.events.store().apply(effect.changes).await.unwrap();
        if let Some(after) = effect.after_commit {
            after();
        }
        Ok(effect.reply)
    }

    pub async fn bus(&self, name: &str) -> String {
        let input = CreateEventBusInput { name: name.into(), ..Default::default() };
        self.call::<CreateEventBus>(input).await.unwrap().event_bus_arn
    }

    pub async fn rule(&self, name: &str, bus: Option<&str>, pattern: &str) -> Result<String, EventsError> {
        let input = PutRuleInput {
            name: name.into(),
            event_pattern: Some(pattern.into()),
            event_bus_name: bus.map(str::to_owned),
            ..Default::default()
        };
        self.call::<PutRule>(input).await
    }
}
