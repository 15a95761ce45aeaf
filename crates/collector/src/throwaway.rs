//! A throwaway PostgreSQL cluster — `initdb` + `pg_ctl` in a temporary directory, on a free
//! loopback port — for the tests and the benchmark of the PostgreSQL backend. Stopped and
//! removed when dropped. Needs Debian's `postgresql` package (`./x setup` installs it); as root
//! it runs the server as the `postgres` user, since PostgreSQL refuses to run as root.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    /// The user the server runs as when we are root.
    run_as: Option<&'static str>,
}

/// The database superuser of the cluster (trust authentication on loopback: nothing else
/// can reach it).
const SUPERUSER: &str = "reachcheck";

impl Cluster {
    /// Starts a cluster, or says why it cannot (PostgreSQL not installed, no `postgres` user).
    pub fn start(name: &str) -> Result<Cluster, String> {
        let bin = server_binaries().ok_or(
            "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH): \
             `apt-get install postgresql`, which `./x setup` does",
        )?;
        let run_as = if is_root() { Some("postgres") } else { None };
        // Short: the server's socket lives in it, and a socket path has at most 107 bytes.
        static CLUSTERS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = CLUSTERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("rcpg-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        let port = free_port()?;
        let cluster = Cluster { dir, bin, port, run_as };
        if let Some(user) = run_as {
            run(Command::new("chown").arg(format!("{user}:")).arg(&cluster.dir))
                .map_err(|err| format!("{err} (PostgreSQL runs as the {user:?} user when we are root)"))?;
        }
        cluster.initdb()?;
        let log = cluster.dir.join("server.log");
        cluster
            .pg_ctl(&["start", "-w", "-t", "30", "-l"], Some(&log))
            .map_err(|err| format!("{name}: {err}\n{}", std::fs::read_to_string(&log).unwrap_or_default()))?;
        Ok(cluster)
    }

    /// Stops the server (closing every connection to it) and starts it again on the same port.
    pub fn restart(&self) -> Result<(), String> {
        let log = self.dir.join("server.log");
        self.pg_ctl(&["restart", "-m", "fast", "-w", "-t", "30", "-l"], Some(&log))
    }

    fn initdb(&self) -> Result<(), String> {
        let data = self.data_dir();
        let mut command = self.command("initdb");
        command.arg("-D").arg(&data).args([
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        run(&mut command)
    }

    fn pg_ctl(&self, args: &[&str], last: Option<&Path>) -> Result<(), String> {
        let mut command = self.command("pg_ctl");
        command.arg("-D").arg(self.data_dir()).args(args);
        if let Some(path) = last {
            command.arg(path);
        }
        // Loopback only, its own socket directory, and small: many clusters may run at once.
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=40 -c shared_buffers=16MB",
            self.port,
            self.dir.display()
        );
        command.args(["-o", &options]);
        run(&mut command)
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        }
    }

    /// The cluster's files: its data, its write-ahead log, its server log.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    /// A new, empty database on the cluster; its URL.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        let plain = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !plain || name.len() > 63 {
            return Err(format!("{name:?}: a database name here is lower-case letters, digits and _"));
        }
        let admin = self.url("postgres");
        // On a thread of its own: the blocking client must not run inside an async runtime,
        // where tests call this.
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let mut client = postgres::Client::connect(&admin, postgres::NoTls)?;
                    client.batch_execute(&format!("CREATE DATABASE {name}"))
                })
                .join()
                .map_err(|_| "creating the database panicked".to_owned())?
                .map_err(|err| format!("{admin}: {err}"))
        })?;
        Ok(self.url(name))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["stop", "-m", "immediate", "-w"], None);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command.stdin(Stdio::null()).output().map_err(|err| format!("{command:?}: {err}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{command:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// Debian's server binaries (newest version first), else whatever `initdb` is on PATH.
fn server_binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|dir| dir.join("initdb").exists() && dir.join("pg_ctl").exists())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|err| err.to_string())?;
    listener.local_addr().map(|addr| addr.port()).map_err(|err| err.to_string())
}
