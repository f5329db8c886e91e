# winsorise.R — golden numbers for chiso's COINr winsorisation (tests/test_idx.c),
# written from COINr's documented rule (winsorise, check_SkewKurt, skew, kurt:
# e1071/Excel type-2 skewness and kurtosis). Run: Rscript winsorise.R
# Output kept in tests/reference/out/winsorise.txt.
# COINr winsorise rule written from its documentation
skew <- function(x){x<-x[!is.na(x)];n<-length(x);x<-x-mean(x);y<-sqrt(n)*sum(x^3)/(sum(x^2)^(3/2));y*sqrt(n*(n-1))/(n-2)}
kurt <- function(x){x<-x[!is.na(x)];n<-length(x);x<-x-mean(x);r<-n*sum(x^4)/(sum(x^2)^2);((n+1)*(r-3)+6)*(n-1)/((n-2)*(n-3))}
pass <- function(x) abs(skew(x))<2 | kurt(x)<3.5
win <- function(x, winmax){ imax<-imin<-NULL; nwin<-0; p<-pass(x)
 while(!p & nwin<winmax){ if(skew(x)>=0){imax<-which(x==max(x));x[imax]<-max(x[-imax])} else {imin<-which(x==min(x));x[imin]<-min(x[-imin])}
 nwin<-length(imax)+length(imin); p<-pass(x)}; list(x=x,nwin=nwin,pass=p)}
x <- c(1:10, 30, 100)
print(c(skew(x),kurt(x)), digits=17)
r <- win(x, 5); print(r$x); print(r$nwin); print(r$pass)
r <- win(x, 1); print(r$x); print(r$nwin)
y <- c(-100, -20, 1:10)
r <- win(y, 5); print(r$x); print(r$nwin)
print(c(skew(1:5),kurt(1:5),skew(c(1,2,3,10)),kurt(c(1,2,3,10))), digits=17)
x <- c(rep(1,30), 2, 3, 50, 60, 70, 80)
r <- win(x, 5); print(r$x); print(r$nwin); print(r$pass)
r <- win(x, 2); print(r$x); print(r$nwin); print(r$pass)
