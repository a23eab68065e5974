//! Work too slow for one frame (the exact analysis of a large design, the `expect`
//! verdicts). On native it runs on a worker thread. On wasm32 there are no threads: a
//! plain job runs at once, and a stepped job runs one slice per poll (one per frame),
//! asking for the next frame until it is done.

/// A computation whose result arrives later.
pub struct Job<T> {
    #[cfg(not(target_arch = "wasm32"))]
    receiver: std::sync::mpsc::Receiver<T>,
    #[cfg(target_arch = "wasm32")]
    ready: Option<T>,
    /// The slices still to run, and the repaint request after each unfinished one.
    #[cfg(target_arch = "wasm32")]
    slices: Option<(Box<dyn FnMut(f64) -> Option<T>>, Box<dyn Fn()>)>,
}

/// Wall time of one slice of a stepped job on the page: with the frame's own drawing,
/// it keeps the page near 30 frames per second (egui's frames take a few ms).
pub const SLICE_SECS: f64 = 0.03;

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
            Job { ready: Some(work()), slices: None }
        }
    }

    /// Starts work done in slices: `slice(budget_secs)` works about that long and gives
    /// the result once done. On wasm32 each [`Job::poll`] runs one slice of
    /// [`SLICE_SECS`] and calls `wake` when more remain; on native `whole` runs on a
    /// worker thread instead (it may use every core), and `wake` is called when done.
    pub fn stepped(
        slice: impl FnMut(f64) -> Option<T> + 'static,
        whole: impl FnOnce() -> T + Send + 'static,
        wake: impl Fn() + Send + 'static,
    ) -> Job<T> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = slice;
            Job::spawn(whole, wake)
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = whole;
            Job { ready: None, slices: Some((Box::new(slice), Box::new(wake))) }
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
            if let Some((slice, wake)) = &mut self.slices {
                match slice(SLICE_SECS) {
                    Some(done) => {
                        self.slices = None;
                        return Some(done);
                    }
                    None => wake(),
                }
            }
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
            if let Some((mut slice, _)) = self.slices.take() {
                return std::iter::repeat_with(|| slice(f64::INFINITY)).flatten().next();
            }
            self.ready.take()
        }
    }
}
