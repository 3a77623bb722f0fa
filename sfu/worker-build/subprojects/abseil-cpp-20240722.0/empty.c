/* Placeholder so the shim archives mediasoup expects are not empty targets. */
int noc_worker_shim_abseil_cpp_20240722_0;
