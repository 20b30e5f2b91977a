package com.example.purchases.dashboard.flow;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class FlowController {

	private final FlowSampler sampler;

	FlowController(FlowSampler sampler) {
		this.sampler = sampler;
	}

	/**
	 * The latest sample of the event flow; the page at {@code /} polls it.
	 */
	@GetMapping("/api/flow")
	FlowSnapshot flow() {
		return this.sampler.latest();
	}

}
