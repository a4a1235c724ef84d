// What GET /metrics reports, in Prometheus's text format. The counters and histograms are swift-metrics
// objects made by swift-prometheus's factory over a registry of this server's own (no process-wide
// bootstrap, so a test or an embedding program can hold several servers).
//
//   s2s_requests_total{route, status}  requests answered
//   s2s_sentences_total                texts translated
//   s2s_errors_total{kind}             refusals, by APIError code
//   s2s_batch_size                     texts per decoded batch (histogram)
//   s2s_queue_wait_seconds             from a text's arrival to its batch's start (histogram)
//   s2s_decode_seconds                 one batch's translation (histogram)
//   s2s_queued_texts                   texts waiting for a worker (gauge)
import CoreMetrics
import Foundation
import Prometheus

public final class ServeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    let sentences: CoreMetrics.Counter
    let batchSize: Recorder
    let queueWait: CoreMetrics.Timer
    let decodeTime: CoreMetrics.Timer
    let queued: CoreMetrics.Gauge

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets["s2s_batch_size"] = [1, 2, 4, 8, 16, 32, 64, 128, 256]
        let fine: [Duration] = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10)]
        factory.durationHistogramBuckets["s2s_queue_wait_seconds"] = fine
        factory.durationHistogramBuckets["s2s_decode_seconds"] = fine
        self.factory = factory
        sentences = Counter(label: "s2s_sentences_total", factory: factory)
        batchSize = Recorder(label: "s2s_batch_size", aggregate: true, factory: factory)
        queueWait = Timer(label: "s2s_queue_wait_seconds", preferredDisplayUnit: .seconds, factory: factory)
        decodeTime = Timer(label: "s2s_decode_seconds", preferredDisplayUnit: .seconds, factory: factory)
        queued = CoreMetrics.Gauge(label: "s2s_queued_texts", factory: factory)
    }

    func request(route: String, status: Int) {
        Counter(label: "s2s_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory).increment()
    }

    func error(kind: String) {
        Counter(label: "s2s_errors_total", dimensions: [("kind", kind)], factory: factory).increment()
    }

    /// The Prometheus text exposition of everything above.
    public func exposition() -> String { registry.emitToString() }
}
