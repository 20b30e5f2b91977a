package com.example.purchases.publisher.purchase;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/purchases")
@Tag(name = "purchases")
class PurchaseController {

	private final PurchaseService purchases;

	PurchaseController(PurchaseService purchases) {
		this.purchases = purchases;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(summary = "Place a purchase",
			description = "Validates the purchase and answers once the broker has acknowledged its PurchaseCompleted event.")
	@ApiResponse(responseCode = "202", description = "The event is durably on the topic")
	@ApiResponse(responseCode = "400", description = "Invalid request: every violation is listed with its field",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "413", description = "Body over 64 KiB",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
	@ApiResponse(responseCode = "415", description = "Body is not application/json",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
	@ApiResponse(responseCode = "503", description = "The broker did not acknowledge in time; retry after Retry-After",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
	PurchaseAccepted place(@Valid @RequestBody PlacePurchaseRequest request,
			@Parameter(description = "Makes retries safe: the same customer and key always yield the same purchaseId and eventId")
			@RequestHeader(name = "Idempotency-Key", required = false) @Size(min = 1,
					max = 128) @Pattern(regexp = "[\\x20-\\x7E]*",
							message = "must be printable ASCII") String idempotencyKey) {
		return this.purchases.place(request, idempotencyKey);
	}

}
