//! Users and sessions over a real store.

use skywatch_auth::{Sessions, Users};
use skywatch_model::Role;
use skywatch_store::Store;

const NOW_MS: i64 = 1_795_000_000_000;

async fn add(users: &Users, store: &Store, name: &str, password: &str, role: Role) -> Result<(), String> {
    let change = users.plan_add(name, password, role).await.map_err(|e| e.to_string())?;
    store.apply(vec![change]).await.map_err(|e| e.to_string())
}

#[tokio::test]
async fn passwords_verify_and_sessions_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let token = {
        let store = Store::open(dir.path()).unwrap();
        let users = Users::new(store.clone());
        add(&users, &store, "alice", "correct horse", Role::Viewer).await.unwrap();
        assert!(users.verify("alice", "wrong password").await.unwrap().is_none());
        assert!(users.verify("bob", "correct horse").await.unwrap().is_none());
        let user = users.verify("alice", "correct horse").await.unwrap().unwrap();
        assert_eq!(user.role, Role::Viewer);
        let (token, change) = Sessions::start(&user, NOW_MS);
        store.apply(vec![change]).await.unwrap();
        token
    };
    let store = Store::open(dir.path()).unwrap();
    let sessions = Sessions::new(store);
    let session = sessions.get(&token, NOW_MS + 1).await.unwrap().unwrap();
    assert_eq!((session.user.as_str(), session.role), ("alice", Role::Viewer));
    let twelve_hours_later = NOW_MS + skywatch_auth::SESSION_LIFETIME_HOURS * 3_600_000;
    assert!(sessions.get(&token, twelve_hours_later).await.unwrap().is_none(), "sessions expire");
    sessions.delete(&token).await.unwrap();
    assert!(sessions.get(&token, NOW_MS + 1).await.unwrap().is_none());
    assert!(sessions.get("not-a-token", NOW_MS).await.unwrap().is_none());
}

#[tokio::test]
async fn bad_names_and_weak_passwords_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let users = Users::new(store.clone());
    assert!(add(&users, &store, "has space", "long enough", Role::Admin).await.is_err());
    assert!(add(&users, &store, "", "long enough", Role::Admin).await.is_err());
    assert!(add(&users, &store, "carol", "short", Role::Admin).await.is_err());
    assert!(users.add_hashed("carol", "not-a-hash", Role::Admin).await.is_err());
}

/// Issue 10: a session stands for the role and password it was issued under; ended sessions are swept.
#[tokio::test]
async fn sessions_are_bound_to_role_and_password_and_swept_when_ended() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let users = Users::new(store.clone());
    let alice = users.provision("alice", "correct horse", Role::Admin).await.unwrap();
    let (_, change) = Sessions::start(&alice, NOW_MS);
    store.apply(vec![change]).await.unwrap();
    let sessions = Sessions::new(store.clone());
    let (token, change) = Sessions::start(&alice, NOW_MS + 1000);
    store.apply(vec![change]).await.unwrap();
    let session = sessions.get(&token, NOW_MS + 2000).await.unwrap().unwrap();
    assert!(session.is_for(&users.find("alice").await.unwrap().unwrap()));
    let demoted = users.provision("alice", "correct horse", Role::Viewer).await.unwrap();
    assert!(!session.is_for(&demoted), "a role change ends the session");
    let repassworded = users.provision("alice", "battery staple", Role::Admin).await.unwrap();
    assert!(!session.is_for(&repassworded), "a password change ends the session");
    // Twelve hours on, the first session has ended and the second has not.
    let later = NOW_MS + skywatch_auth::SESSION_LIFETIME_HOURS * 3_600_000 + 500;
    assert_eq!(sessions.sweep(later, 100).await.unwrap(), 1);
    assert!(sessions.get(&token, NOW_MS + 2000).await.unwrap().is_some());
    assert_eq!(sessions.sweep(later + 1000, 100).await.unwrap(), 1);
    assert_eq!(store.read(|r| r.len(skywatch_auth::storage::SESSIONS)).await.unwrap(), 0);
}

/// Issue 10: an unknown or malformed name costs the same argon2 check as a known one.
#[tokio::test]
async fn unknown_names_cost_a_password_check_too() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let users = Users::new(store.clone());
    users.provision("alice", "correct horse", Role::Admin).await.unwrap();
    for name in ["alice", "nobody", &"x".repeat(100_000)] {
        let before = users.password_checks();
        assert!(users.verify(name, "wrong password").await.unwrap().is_none());
        assert_eq!(users.password_checks(), before + 1, "{}", &name[..name.len().min(10)]);
    }
    let huge = "p".repeat(skywatch_auth::MAX_PASSWORD_BYTES + 1);
    assert!(users.verify("alice", &huge).await.unwrap().is_none());
}
