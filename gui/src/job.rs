//! Work too slow for one frame (the exact analysis of a large design). On native it
//! runs on a worker thread; on wasm32 there are no threads, so it runs at once.

/// A computation whose result arrives later.
pub struct Job<T> {
    #[cfg(not(target_arch = "wasm32"))]
    receiver: std::sync::mpsc::Receiver<T>,
    #[cfg(target_arch = "wasm32")]
    ready: Option<T>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work`; `wake` is called when it is done (to request a repaint).
    pub fn spawn(work: impl FnOnce() -> T + Send + 'static, wake: impl Fn() + Send + 'static) -> Job<T> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let (sender, receiver) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = sender.send(work());
                wake();
            });
            Job { receiver }
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = wake;
            Job { ready: Some(work()) }
        }
    }

    /// The result, once (later calls return `None`).
    pub fn poll(&mut self) -> Option<T> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.receiver.try_recv().ok()
        }
        #[cfg(target_arch = "wasm32")]
        {
            self.ready.take()
        }
    }

    /// Waits for the result (tests and headless use).
    pub fn wait(&mut self) -> Option<T> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.receiver.recv().ok()
        }
        #[cfg(target_arch = "wasm32")]
        {
            self.ready.take()
        }
    }
}
